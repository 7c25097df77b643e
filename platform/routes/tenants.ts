/** /v1/tenants: operator-managed tenants; a tenant's own API token may read its tenant object. */
import { merge } from "../kinds/meta";
import { z } from "zod";
import { tenantInputs, tenantObject, tenantPatch, type Capabilities } from "../../provider/schemas/tenant";
import { requireOperator, tenantFor } from "../http/auth";
import { decodeCursor, page, pageQuery } from "../http/pagination";
import type { RouteRegistry } from "../http/registry";
import { parseBody, parsePatch, parseQuery } from "../http/validate";
import { checkIfMatch, commitWrite, idempotentCreate, sendObject } from "../http/write";
import { nowIso, tenantConfig, usageOf, type Context, type TenantConfig } from "../context";
import { hashPassword } from "../crypto";
import { Problem, type FieldError } from "../problems";
import { insertTenant, presentTenant } from "../tenants";
import { conflict } from "../kinds/rules";

const listQuery = z.strictObject({ ...pageQuery, fqdn: z.string().optional().describe("Only the tenant with this FQDN (lookup by natural key).") });
const tenantParams = (p: unknown) => (p as { tenantId: string }).tenantId;
const list = z.object({ items: z.array(tenantObject), nextCursor: z.string().nullable() });

/** Capabilities whose usage the platform counts; lowering one below its usage is refused. */
const counted: Array<[keyof Capabilities, "agents" | "extensions" | "channelAccounts"]> = [
  ["maxAgents", "agents"],
  ["maxExtensions", "extensions"],
  ["maxChannelAccounts", "channelAccounts"],
];

export function tenantRoutes(ctx: Context, r: RouteRegistry): void {
  r.add(
    {
      method: "POST", url: "/v1/tenants", operationId: "createTenant", tag: "Tenants", auth: "operator", body: tenantInputs, idempotencyKey: true, createdId: "tenantId",
      summary: "Create a tenant, with its default queue and admin account. Customers are numbered from instance 2.",
      responses: { 201: { description: "Created; Location names the tenant.", schema: tenantObject } },
      problems: [400, 401, 403, 409, 422, 429],
    },
    (req, reply) =>
      idempotentCreate(ctx, req, reply, () => requireOperator(req), async () => {
        const input = parseBody(tenantInputs, req.body);
        if (input.fqdn === ctx.managementFqdn) {
          throw new Problem("reserved-instance", `${input.fqdn} is the FQDN of the management instance; choose another FQDN for a customer tenant.`, [{ path: "fqdn", message: "reserved" }]);
        }
        const { password, ...admin } = input.admin;
        const adminHash = await hashPassword(password, ctx.scryptCost);
        const config: TenantConfig = { ...input, admin };
        return () => {
          const existing = ctx.st.tenantByFqdn.get(config.fqdn);
          if (existing) throw existing.reserved ? new Problem("reserved-instance", `${config.fqdn} is reserved for the management instance.`) : conflict("tenant", "fqdn", config.fqdn, existing.id);
          const t = insertTenant(ctx, config, adminHash);
          const body = presentTenant(ctx, t);
          return { objectId: t.id, response: { status: 201, body, headers: { location: `/v1/tenants/${t.id}`, etag: `"${t.revision}"` } } };
        };
      }),
  );

  r.add(
    {
      method: "GET", url: "/v1/tenants", operationId: "listTenants", tag: "Tenants", auth: "operator", query: listQuery,
      summary: "List tenants, optionally by FQDN: customers, and the management instance (instance 1) marked reserved and read-only.",
      responses: { 200: { description: "A page of tenants.", schema: list } },
      problems: [400, 401, 403, 429],
    },
    (req) => {
      requireOperator(req);
      const q = parseQuery(listQuery, req.query);
      const after = decodeCursor(q.cursor);
      const rows = q.fqdn === undefined ? ctx.st.tenantPage.all(after, q.limit + 1) : ctx.st.tenantPageByFqdn.all(after, q.fqdn, q.limit + 1);
      return page(rows, q.limit, (t) => presentTenant(ctx, t));
    },
  );

  r.add(
    {
      method: "GET", url: "/v1/tenants/:tenantId", operationId: "getTenant", tag: "Tenants", auth: "token",
      summary: "Read a tenant (the operator, or an API token of this tenant).",
      responses: { 200: { description: "The tenant; ETag is its revision.", schema: tenantObject } },
      problems: [401, 403, 404, 429],
    },
    (req, reply) => sendObject(reply, 200, presentTenant(ctx, tenantFor(ctx, req, tenantParams(req.params), { tenantObject: true }))),
  );

  r.add(
    {
      method: "PATCH", url: "/v1/tenants/:tenantId", operationId: "updateTenant", tag: "Tenants", auth: "operator", body: tenantPatch, ifMatch: true,
      summary: "Change a tenant (not its FQDN). Lowering a capability below what is in use is refused.",
      responses: { 200: { description: "The updated tenant.", schema: tenantObject } },
      problems: [400, 401, 403, 404, 412, 422, 429],
    },
    async (req, reply) => {
      const id = tenantParams(req.params);
      let tenant = tenantFor(ctx, req, id, { tenantObject: true });
      // A malformed body is 400/422 whatever its If-Match: validation before the precondition.
      const patch = parsePatch(tenantPatch, req.body) as Partial<TenantConfig> & { admin?: { password?: string } };
      checkIfMatch(req, tenant.revision);
      const newHash = patch.admin?.password ? await hashPassword(patch.admin.password, ctx.scryptCost) : null;
      const updated = commitWrite(ctx, req, () => {
        tenant = tenantFor(ctx, req, id, { tenantObject: true });
        checkIfMatch(req, tenant.revision);
        const config = tenantConfig(tenant);
        const { password: _p, ...adminPatch } = patch.admin ?? {};
        const next: TenantConfig = {
          ...merge(config, patch),
          admin: { ...config.admin, ...adminPatch },
          capabilities: { ...config.capabilities, ...(patch.capabilities ?? {}) },
        };
        const usage = usageOf(ctx, tenant.id);
        const errors: FieldError[] = counted
          .filter(([cap, use]) => next.capabilities[cap] < usage[use])
          .map(([cap, use]) => ({ path: `capabilities.${cap}`, message: `${next.capabilities[cap]} is below the ${usage[use]} ${use} in use` }));
        if (errors.length) {
          throw new Problem("quota-exceeded", `Cannot lower capabilities below usage: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}. Delete objects first or keep the limit.`, errors);
        }
        ctx.st.updateTenant.run({ id: tenant.id, config: JSON.stringify(next), admin_password_hash: newHash ?? tenant.admin_password_hash, now: nowIso() });
        return ctx.st.tenantById.get(tenant.id)!;
      });
      return sendObject(reply, 200, presentTenant(ctx, updated));
    },
  );

  r.add(
    {
      method: "DELETE", url: "/v1/tenants/:tenantId", operationId: "deleteTenant", tag: "Tenants", auth: "operator", ifMatch: true,
      summary: "Delete a tenant and everything in it (refused while deletionProtection is on).",
      responses: { 204: { description: "Deleted, with all its objects." } },
      problems: [401, 403, 404, 409, 412, 429],
    },
    (req, reply) => {
      const id = tenantParams(req.params);
      commitWrite(ctx, req, () => {
        const tenant = tenantFor(ctx, req, id, { tenantObject: true });
        checkIfMatch(req, tenant.revision);
        if (tenantConfig(tenant).deletionProtection) {
          throw new Problem("deletion-protected", `Tenant ${tenant.id} has deletionProtection on; set it to false (PATCH) before deleting.`, [{ path: "deletionProtection", message: "is true" }]);
        }
        ctx.st.idempotencyReleaseTenant.run({ tenantId: tenant.id });
        ctx.st.deleteTenant.run(tenant.id);
      });
      return reply.code(204).send();
    },
  );
}
