/** Errors the handlers throw; the error handler turns each into an RFC 9457 problem document. */
import type { z } from "zod";
import { problemTypes, problemUri, type ProblemType } from "../provider/schemas/problems";

export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = problemTypes[type].status;
  }

  body(requestId: string) {
    return { type: problemUri(this.type), title: problemTypes[this.type].title, status: this.status, detail: this.detail, errors: this.errors, requestId };
  }
}

export const notFound = (what: string) =>
  new Problem("not-found", `${what} does not exist or is not visible to this token; check the id and the token's tenant`);

export const pathOf = (path: ReadonlyArray<PropertyKey>): string => path.map(String).join(".");

/** Issues that say the body is not the right shape at all (as opposed to a field breaking a rule). */
const structuralCodes = new Set(["invalid_type", "unrecognized_keys", "invalid_union"]);

/**
 * One consistent mapping: a body of the wrong shape (unknown field, wrong type, missing field) is
 * 400 `invalid-request`; a well-formed body whose values break a rule (format, range, vocabulary,
 * cross-field) is 422 `validation-failed`. Both list every offending path.
 */
export function fromZod(error: z.ZodError, prefix: string[] = []): Problem {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) errors.push({ path: pathOf([...prefix, ...issue.path, key]), message: `unknown field ${JSON.stringify(key)}; remove it` });
    } else {
      errors.push({ path: pathOf([...prefix, ...issue.path]), message: issue.message });
    }
  }
  const structural = error.issues.some((i) => structuralCodes.has(i.code));
  const summary = errors
    .slice(0, 5)
    .map((e) => `${e.path || "(body)"}: ${e.message}`)
    .join("; ");
  return structural
    ? new Problem("invalid-request", `The body does not have the expected shape: ${summary}. Fix the fields listed in errors and retry.`, errors)
    : new Problem("validation-failed", `Invalid field value: ${summary}. Fix the fields listed in errors and retry.`, errors);
}
