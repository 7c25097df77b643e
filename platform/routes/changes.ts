/** A tenant's pending PBX changes, the action that applies them (save, then apply), and the withdrawal of one. */
import { z } from "zod";
import { applyResult, changeList, withdrawnChange, type PendingChange } from "../../provider/schemas/changes";
import { applyChanges } from "../apply";
import type { Context } from "../context";
import { tenantFor } from "../http/auth";
import type { RouteRegistry } from "../http/registry";
import { checkResponse, parseBody } from "../http/validate";
import type { FastifyRequest } from "fastify";
import { decodeCursor, page, pageQuery } from "../http/pagination";
import { parseQuery } from "../http/validate";
import { checkIfMatch, commitWrite } from "../http/write";
import { notFound } from "../problems";
import { withdrawChange } from "../withdraw";

const tenantIdOf = (req: FastifyRequest) => (req.params as { tenantId: string }).tenantId;
const applyBody = z.strictObject({}).describe("No options: every pending change of the tenant is applied.");
const listQuery = z.strictObject({ ...pageQuery });

export function changeRoutes(ctx: Context, r: RouteRegistry): void {
  r.add(
    {
      method: "GET", url: "/v1/tenants/:tenantId/changes", operationId: "listChanges", tag: "Changes", auth: "token", query: listQuery,
      summary: "The tenant's saved but not yet applied changes, oldest first, a page at a time like every list, with the error of the last apply that rejected one.",
      responses: { 200: { description: "Pending changes.", schema: changeList } },
      problems: [400, 401, 403, 404, 429],
    },
    (req) => {
      const tenant = tenantFor(ctx, req, tenantIdOf(req));
      const q = parseQuery(listQuery, req.query);
      const rows = ctx.st.pendingPage.all(tenant.id, decodeCursor(q.cursor), q.limit + 1);
      return checkResponse(changeList, page(rows, q.limit, (row): PendingChange => ({
        kind: row.kind as PendingChange["kind"],
        objectId: row.id,
        op: row.pending_op!,
        revision: row.revision,
        savedAt: row.saved_at!,
        ...(row.last_error ? { lastError: JSON.parse(row.last_error) } : {}),
      })));
    },
  );

  r.add(
    {
      method: "POST", url: "/v1/tenants/:tenantId/changes/apply", operationId: "applyChanges", tag: "Changes", auth: "token", body: applyBody,
      summary: "Apply every pending change of the tenant in one transaction. A change whose target extensions will not exist is rejected and stays pending; the rest applies. Safe to repeat.",
      responses: { 200: { description: "What was applied and what was rejected, with the paths at fault.", schema: applyResult } },
      problems: [400, 401, 403, 404, 429],
    },
    (req) => {
      const tenant = tenantFor(ctx, req, tenantIdOf(req));
      if (req.body !== undefined) parseBody(applyBody, req.body);
      const result = applyChanges(ctx, tenant.id);
      req.committed = true;
      return checkResponse(applyResult, result);
    },
  );

  r.add(
    {
      method: "DELETE", url: "/v1/tenants/:tenantId/changes/:id", operationId: "withdrawChange", tag: "Changes", auth: "token", ifMatch: true,
      summary:
        "Withdraw the pending change of one object (its id): a create never applied removes the object; an update or a deletion gives it back its applied configuration under a new revision. " +
        "If-Match (the object's ETag) withdraws only the change it names. 404 when the object has no pending change.",
      responses: { 200: { description: "The change withdrawn, and the object's revision now (null if it was removed).", schema: withdrawnChange } },
      problems: [401, 403, 404, 409, 412, 429],
    },
    (req) => {
      const { tenantId, id } = req.params as { tenantId: string; id: string };
      const result = commitWrite(ctx, req, () => {
        const tenant = tenantFor(ctx, req, tenantId);
        const row = ctx.st.objectOfTenant.get(id, tenant.id);
        if (!row || row.pending_op === null) throw notFound(`A pending change of ${id} in tenant ${tenant.id}`);
        checkIfMatch(req, row.revision);
        return withdrawChange(ctx, tenant, row);
      });
      return checkResponse(withdrawnChange, result);
    },
  );
}
