/** Operator-only admin routes: fault injection at run time, and counters of what reached the server. */
import { z } from "zod";
import type { Context } from "../context";
import { requireOperator } from "../http/auth";
import { faultConfigSchema, faultKinds, type FaultInjector } from "../http/faults";
import type { RouteRegistry } from "../http/registry";
import { parseBody } from "../http/validate";

export interface RequestStats {
  total: number;
  byMethod: { GET: number; POST: number; PATCH: number; DELETE: number };
}

export const newRequestStats = (): RequestStats => ({ total: 0, byMethod: { GET: 0, POST: 0, PATCH: 0, DELETE: 0 } });

export const statsSchema = z.object({
  faults: z.object(Object.fromEntries(faultKinds.map((k) => [k, z.number().int()])) as Record<(typeof faultKinds)[number], z.ZodNumber>),
  requests: z.object({ total: z.number().int(), byMethod: z.object({ GET: z.number().int(), POST: z.number().int(), PATCH: z.number().int(), DELETE: z.number().int() }) }),
  writes: z.number().int().describe("Committed write transactions."),
  applies: z.number().int().describe("Apply actions run."),
});

const noFaults = () => Object.fromEntries(faultKinds.map((k) => [k, 0])) as FaultInjector["counts"];

/** The fault-injection routes exist only on a platform started for fault injection. */
export function faultRoutes(r: RouteRegistry, faults: FaultInjector): void {
  r.add(
    {
      method: "GET", url: "/v1/admin/faults", operationId: "getFaults", tag: "Admin", auth: "operator",
      summary: "The fault-injection configuration in force (only on a platform started with --faults).",
      responses: { 200: { description: "The configuration.", schema: faultConfigSchema } },
      problems: [401, 403],
    },
    (req) => {
      requireOperator(req);
      return faults.current;
    },
  );
  r.add(
    {
      method: "PUT", url: "/v1/admin/faults", operationId: "setFaults", tag: "Admin", auth: "operator", body: faultConfigSchema,
      summary: "Replace the fault-injection configuration (probabilities 0–1; {} turns every fault off). Only on a platform started with --faults.",
      responses: { 200: { description: "The new configuration.", schema: faultConfigSchema } },
      problems: [400, 401, 403, 422],
    },
    (req) => {
      requireOperator(req);
      return faults.configure(parseBody(faultConfigSchema, req.body));
    },
  );
}

export function adminRoutes(ctx: Context, r: RouteRegistry, faults: FaultInjector | null, requests: { current: RequestStats }): void {
  const stats = () => ({ faults: faults ? { ...faults.counts } : noFaults(), requests: requests.current, writes: ctx.counters.writes, applies: ctx.counters.applies });

  r.add(
    {
      method: "GET", url: "/v1/admin/stats", operationId: "getStats", tag: "Admin", auth: "operator",
      summary: "Counters: injected faults by kind, requests by method (admin routes excluded), committed writes, applies.",
      responses: { 200: { description: "The counters.", schema: statsSchema } },
      problems: [401, 403],
    },
    (req) => {
      requireOperator(req);
      return stats();
    },
  );
  r.add(
    {
      method: "DELETE", url: "/v1/admin/stats", operationId: "resetStats", tag: "Admin", auth: "operator",
      summary: "Reset every counter to zero.",
      responses: { 204: { description: "Reset." } },
      problems: [401, 403],
    },
    (req, reply) => {
      requireOperator(req);
      faults?.resetCounts();
      requests.current = newRequestStats();
      ctx.counters.writes = 0;
      ctx.counters.applies = 0;
      return reply.code(204).send();
    },
  );
}
