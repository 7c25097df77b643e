/** /v1/tenants/{tenantId}/<kind>: create, list, read, update and delete for every child kind. */
import { z } from "zod";
import { tenantFor } from "../http/auth";
import { decodeCursor, page, pageQuery } from "../http/pagination";
import type { RouteRegistry } from "../http/registry";
import { checkResponse, parseBody, parsePatch, parseQuery } from "../http/validate";
import { canonicalJson, newId } from "../crypto";
import { nowIso, type Context } from "../context";
import type { ObjectRow, TenantRow } from "../db/store";
import type { Config, KindHandler } from "../kinds/types";
import { conflict } from "../kinds/rules";
import { notFound, Problem } from "../problems";
import { checkIfMatch, commitWrite, idempotentCreate, sendObject } from "../http/write";
import type { FastifyRequest } from "fastify";

const params = (req: FastifyRequest) => req.params as { tenantId: string; id?: string };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const label = (h: KindHandler) => h.spec.kind.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

export function childRoutes(ctx: Context, r: RouteRegistry, h: KindHandler): void {
  const { spec } = h;
  const base = `/v1/tenants/:tenantId/${spec.path}`;
  const listQuery = z.strictObject({ ...pageQuery, [spec.naturalKey]: z.string().optional().describe(`Only the object whose ${spec.naturalKey} is this (lookup by natural key).`) });
  const getQuery = spec.staged
    ? z.strictObject({ view: z.enum(["saved", "effective"]).default("saved").describe("saved (default): the saved configuration; effective: the applied one.") })
    : z.strictObject({});
  const list = z.object({ items: z.array(spec.object), nextCursor: z.string().nullable() });

  const present = (tenant: TenantRow, row: ObjectRow, config: Config = JSON.parse(row.config)) =>
    checkResponse(spec.object, h.present(ctx, tenant, row, config)) as Record<string, unknown>;

  const load = (tenant: TenantRow, id: string): ObjectRow => {
    const row = ctx.st.objectById.get(id, tenant.id, spec.kind);
    if (!row) throw notFound(`${spec.kind} ${id} in tenant ${tenant.id}`);
    return row;
  };

  const checkNaturalKey = (tenant: TenantRow, config: Config, selfId: string | null) => {
    const key = h.naturalKey(config);
    const existing = ctx.st.objectByKey.get(tenant.id, spec.kind, key);
    if (existing && existing.id !== selfId) throw conflict(label(h), spec.naturalKey, key, existing.id);
  };

  r.add(
    {
      method: "POST", url: base, operationId: `create${spec.kind}`, tag: spec.kind, auth: "token", body: spec.inputs, idempotencyKey: true, createdId: spec.idField, staged: spec.staged,
      summary: `Create a ${label(h)}${spec.staged ? " (saved; live after the tenant's changes are applied)" : ""}. Generated secrets are returned by this response only.`,
      responses: { 201: { description: "Created; Location names the object.", schema: spec.object } },
      problems: [400, 401, 403, 404, 409, 422, 429],
    },
    (req, reply) =>
      idempotentCreate(ctx, req, reply, () => tenantFor(ctx, req, params(req).tenantId), async () => {
        const tenantId = params(req).tenantId;
        let tenant = tenantFor(ctx, req, tenantId);
        const body = req.body;
        if (!isObject(body)) parseBody(spec.inputs, body); // throws the shape problem
        const sent = body as Record<string, unknown>;
        if (sent.tenantId !== undefined && sent.tenantId !== tenantId) {
          throw new Problem("validation-failed", `tenantId ${JSON.stringify(sent.tenantId)} in the body differs from ${tenantId} in the path; omit it or make them equal.`, [{ path: "tenantId", message: "must equal the tenant in the path" }]);
        }
        const input = parseBody(spec.inputs, { ...sent, tenantId }) as Config;
        const draft = await h.create(ctx, tenant, input);
        h.checkGrant?.(req.principal, draft.config);
        return () => {
          tenant = tenantFor(ctx, req, tenantId); // it may have been deleted while passwords were hashed
          checkNaturalKey(tenant, draft.config, null);
          h.check(ctx, tenant, draft.config, null);
          h.checkQuota?.(ctx, tenant, draft.config);
          const id = newId(spec.idPrefix);
          const now = nowIso();
          ctx.st.insertObject.run({
            id, tenant_id: tenant.id, kind: spec.kind, natural_key: h.naturalKey(draft.config), config: JSON.stringify(draft.config), secrets: JSON.stringify(draft.secrets),
            pending_op: spec.staged ? "create" : null, saved_at: spec.staged ? now : null, now,
          });
          draft.afterWrite?.(ctx, id);
          const row = load(tenant, id);
          const body = present(tenant, row);
          // Generated secrets travel in this response only.
          const { sipPassword, ...reveal } = draft.reveal ?? {};
          if (sipPassword !== undefined) (body.sip as Record<string, unknown>).password = sipPassword;
          Object.assign(body, reveal);
          const location = `/v1/tenants/${tenant.id}/${spec.path}/${id}`;
          return { objectId: id, response: { status: 201, body, headers: { location, etag: `"${row.revision}"` } } };
        };
      }),
  );

  r.add(
    {
      method: "GET", url: base, operationId: `list${spec.kind}s`, tag: spec.kind, auth: "token", query: listQuery,
      summary: `List the tenant's ${label(h)}s (saved configuration), optionally by ${spec.naturalKey}.`,
      responses: { 200: { description: "A page of objects.", schema: list } },
      problems: [400, 401, 403, 404, 429],
    },
    (req) => {
      const tenant = tenantFor(ctx, req, params(req).tenantId);
      const q = parseQuery(listQuery, req.query) as { limit: number; cursor?: string } & Record<string, string | undefined>;
      const after = decodeCursor(q.cursor);
      const key = q[spec.naturalKey];
      const rows = key === undefined ? ctx.st.objectPage.all(tenant.id, spec.kind, after, q.limit + 1) : ctx.st.objectPageByKey.all(tenant.id, spec.kind, after, key, q.limit + 1);
      return page(rows, q.limit, (row) => present(tenant, row));
    },
  );

  r.add(
    {
      method: "GET", url: `${base}/:id`, operationId: `get${spec.kind}`, tag: spec.kind, auth: "token", query: getQuery, idPrefix: spec.idPrefix,
      summary: `Read a ${label(h)}${spec.staged ? "; ?view=effective returns the applied configuration (404 before the first apply)" : ""}.`,
      responses: { 200: { description: "The object; ETag is its revision.", schema: spec.object } },
      problems: [400, 401, 403, 404, 429],
    },
    (req, reply) => {
      const tenant = tenantFor(ctx, req, params(req).tenantId);
      const q = parseQuery(getQuery, req.query) as { view?: "saved" | "effective" };
      const row = load(tenant, params(req).id!);
      if (q.view === "effective") {
        if (row.applied === null) throw notFound(`An applied configuration of ${spec.kind} ${row.id} (its create is still pending; apply the tenant's changes)`);
        return sendObject(reply, 200, present(tenant, row, JSON.parse(row.applied)));
      }
      return sendObject(reply, 200, present(tenant, row));
    },
  );

  r.add(
    {
      method: "PATCH", url: `${base}/:id`, operationId: `update${spec.kind}`, tag: spec.kind, auth: "token", body: spec.patch, ifMatch: true, idPrefix: spec.idPrefix,
      summary: `Change a ${label(h)}${spec.staged ? " (saved; live after apply)" : ""}. null clears an optional field.`,
      responses: { 200: { description: "The updated object.", schema: spec.object } },
      problems: [400, 401, 403, 404, 409, 412, 422, 429],
    },
    async (req, reply) => {
      const { tenantId, id } = params(req);
      const patch = (() => {
        tenantFor(ctx, req, tenantId);
        return parsePatch(spec.patch, req.body);
      })();
      // Passwords are hashed outside the transaction; if the object changed meanwhile, redo on the new state.
      for (let attempt = 0; ; attempt++) {
        const tenant = tenantFor(ctx, req, tenantId);
        const row = load(tenant, id!);
        checkIfMatch(req, row.revision);
        if (row.pending_op === "delete") {
          throw new Problem("conflict", `${spec.kind} ${row.id} has a pending deletion; apply the tenant's changes, then create it again.`);
        }
        const draft = await h.patch(ctx, tenant, row, patch);
        h.checkGrant?.(req.principal, draft.config);
        const unchanged = canonicalJson(draft.config) === canonicalJson(JSON.parse(row.config)) && canonicalJson(draft.secrets) === canonicalJson(JSON.parse(row.secrets));
        const fresh = ctx.st.objectById.get(id!, tenant.id, spec.kind);
        if (fresh && fresh.revision !== row.revision && attempt < 3) continue;
        if (unchanged) return sendObject(reply, 200, present(tenant, row)); // nothing to save: no new revision
        const updated = commitWrite(ctx, req, () => {
          const t = tenantFor(ctx, req, tenantId);
          const current = load(t, id!);
          checkIfMatch(req, current.revision);
          if (current.revision !== row.revision) throw new Problem("precondition-failed", `${spec.kind} ${id} changed during this request; retry.`);
          checkNaturalKey(t, draft.config, current.id);
          h.check(ctx, t, draft.config, current.id);
          const now = nowIso();
          ctx.st.updateObject.run({
            id: current.id, natural_key: h.naturalKey(draft.config), config: JSON.stringify(draft.config), secrets: JSON.stringify(draft.secrets),
            pending_op: spec.staged ? (current.pending_op === "create" ? "create" : "update") : null, saved_at: spec.staged ? now : null, now,
          });
          draft.afterWrite?.(ctx, current.id);
          return { tenant: t, row: load(t, current.id) };
        });
        return sendObject(reply, 200, present(updated.tenant, updated.row));
      }
    },
  );

  r.add(
    {
      method: "DELETE", url: `${base}/:id`, operationId: `delete${spec.kind}`, tag: spec.kind, auth: "token", ifMatch: true, idPrefix: spec.idPrefix,
      summary: `Delete a ${label(h)}${spec.staged ? " (saved as a pending deletion; gone after apply. A never-applied create is discarded at once)" : ""}.`,
      responses: { 204: { description: "Deleted (or its deletion saved)." } },
      problems: [401, 403, 404, 409, 412, 429],
    },
    (req, reply) => {
      const { tenantId, id } = params(req);
      commitWrite(ctx, req, () => {
        const tenant = tenantFor(ctx, req, tenantId);
        const row = load(tenant, id!);
        checkIfMatch(req, row.revision);
        if (tenant.default_queue_id === row.id) {
          throw new Problem("in-use", `Queue ${row.id} is the default queue of tenant ${tenant.id}; it lives as long as the tenant.`);
        }
        const users = h.usedBy?.(ctx, tenant, row) ?? [];
        if (users.length) {
          throw new Problem("in-use", `${spec.kind} ${row.id} is used by ${users.join(", ")}; change or delete those first.`, users.map((u) => ({ path: "", message: `used by ${u}` })));
        }
        if (spec.staged && row.applied !== null) {
          if (row.pending_op !== "delete") ctx.st.markDeletePending.run({ id: row.id, now: nowIso() });
          return;
        }
        ctx.st.deleteObject.run(row.id);
        ctx.st.idempotencyRelease.run(row.id);
      });
      return reply.code(204).send();
    },
  );
}
