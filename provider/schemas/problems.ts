/**
 * The platform's problem types (RFC 9457 `type`), their status, and what a caller does about each.
 * The platform raises them; the provider's error hierarchy maps each to a class.
 */
import { z } from "zod";

export const problemBase = "https://omnitenant.dev/problems/";

export const problemTypes = {
  "invalid-request": { status: 400, title: "The request is malformed" },
  "validation-failed": { status: 422, title: "A field is invalid" },
  unauthorized: { status: 401, title: "Missing or invalid bearer token" },
  forbidden: { status: 403, title: "The token may not do this" },
  "not-found": { status: 404, title: "No such object" },
  conflict: { status: 409, title: "An object with this natural key exists already" },
  "in-use": { status: 409, title: "The object is still used by others" },
  "deletion-protected": { status: 409, title: "The tenant has deletion protection on" },
  "reserved-instance": { status: 403, title: "The management instance is reserved" },
  "quota-exceeded": { status: 422, title: "A capability limit of the tenant would be exceeded" },
  "idempotency-key-reused": { status: 422, title: "The Idempotency-Key was used with another request" },
  "precondition-failed": { status: 412, title: "The object changed since it was read (If-Match)" },
  "method-not-allowed": { status: 405, title: "The path does not take this method" },
  "payload-too-large": { status: 413, title: "The request body is too large" },
  "unsupported-media-type": { status: 415, title: "The request body is not JSON" },
  "headers-too-large": { status: 431, title: "The request headers are too large" },
  "rate-limited": { status: 429, title: "Too many requests" },
  "internal-error": { status: 500, title: "The platform failed" },
  unavailable: { status: 503, title: "The platform is unavailable" },
} as const;
export type ProblemType = keyof typeof problemTypes;

export const problemUri = (type: ProblemType) => problemBase + type;

export const problemDocument = z.object({
  type: z.string().describe("A stable URI naming the problem, " + problemBase + "<name>."),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().describe("What went wrong, with the offending value, and what to do next."),
  errors: z
    .array(z.object({ path: z.string().describe("Dotted field path, e.g. keys.0.target."), message: z.string() }))
    .default([]),
  requestId: z.string(),
});
export type ProblemDocument = z.infer<typeof problemDocument>;
