/**
 * A table of bad inputs across every route: sizes, depth, encodings, types, unknown fields,
 * references across tenants, tokens of every scope and state. Each row states the status and
 * problem type it must get, and after each row the data file must hold exactly what it held
 * before (counts and revisions of every table), so nothing was stored.
 */
import Database from "better-sqlite3";
import { agentBody, api, startTestPlatform, tenantBody, type TestPlatform } from "../../support/platform";
import { limits } from "../../../provider/schemas";

interface Row {
  name: string;
  method: string;
  path: () => string;
  token?: () => string | null;
  body?: () => string | undefined;
  headers?: Record<string, string>;
  status: number;
  type: string;
}

let p: TestPlatform;
// The platform's clock: the expiring token expires when the test moves it, not after a sleep.
const clock = { now: Date.now() };
let db: Database.Database;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

const kinds = {
  agents: { prefix: "agt", body: () => agentBody(`bad.${Math.random().toString(36).slice(2, 8)}`) },
  queues: { prefix: "que", body: () => ({ name: `Q${Math.random().toString(36).slice(2, 8)}` }) },
  extensions: { prefix: "ext", body: () => ({ number: String(300 + Math.floor(Math.random() * 600)), name: "X" }) },
  "user-groups": { prefix: "grp", body: () => ({ name: `G${Math.random().toString(36).slice(2, 8)}` }) },
  "incoming-numbers": { prefix: "num", body: () => ({ number: `+3318765${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}` }) },
  integrations: { prefix: "crd", body: () => ({ name: `c${Math.random().toString(36).slice(2, 8)}`, kind: "iris" }) },
} as const;
type Kind = keyof typeof kinds;
const kindNames = Object.keys(kinds) as Kind[];

const json = (v: unknown) => () => JSON.stringify(v);
const A = () => ids.A;
const col = (kind: Kind, tenant = A) => () => `/v1/tenants/${tenant()}/${kind}`;
const item = (kind: Kind, tenant = A, id = () => ids[`A.${kind}`]) => () => `/v1/tenants/${tenant()}/${kind}/${id()}`;
const t = (name: string) => `https://omnitenant.dev/problems/${name}`;
const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

const rows: Row[] = [];
const add = (r: Row) => rows.push(r);

// Bodies: shape, size, depth, encoding, media type, on every create.
const collections: Array<[string, () => string, () => unknown]> = [
  ["tenants", () => "/v1/tenants", () => tenantBody()],
  ...kindNames.map((k): [string, () => string, () => unknown] => [k, col(k), kinds[k].body]),
];
for (const [name, path, valid] of collections) {
  add({ name: `${name}: array body`, method: "POST", path, body: json([1, 2]), status: 400, type: t("invalid-request") });
  add({ name: `${name}: string body`, method: "POST", path, body: json("agent"), status: 400, type: t("invalid-request") });
  add({ name: `${name}: null body`, method: "POST", path, body: () => "null", status: 400, type: t("invalid-request") });
  add({ name: `${name}: number body`, method: "POST", path, body: () => "42", status: 400, type: t("invalid-request") });
  add({ name: `${name}: unknown field`, method: "POST", path, body: () => JSON.stringify({ ...(valid() as object), colour: "blue" }), status: 400, type: t("invalid-request") });
  add({ name: `${name}: prototype key`, method: "POST", path, body: () => '{"__proto__": {"admin": true}}', status: 400, type: t("invalid-request") });
  add({ name: `${name}: nested 40 deep`, method: "POST", path, body: () => deep(40), status: 400, type: t("invalid-request") });
  add({ name: `${name}: nested 10,000 deep with a key`, method: "POST", path, body: () => deep(10_000), headers: { "idempotency-key": "deep" }, status: 400, type: t("invalid-request") });
  add({ name: `${name}: 2 MiB body`, method: "POST", path, body: () => JSON.stringify({ ...(valid() as object), pad: "x".repeat(2 * 1024 * 1024) }), status: 413, type: t("payload-too-large") });
  add({ name: `${name}: malformed JSON`, method: "POST", path, body: () => '{"name": ', status: 400, type: t("invalid-request") });
  add({ name: `${name}: text/plain`, method: "POST", path, body: () => JSON.stringify(valid()), headers: { "content-type": "text/plain" }, status: 415, type: t("unsupported-media-type") });
  add({ name: `${name}: form body`, method: "POST", path, body: () => "name=x", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415, type: t("unsupported-media-type") });
  add({ name: `${name}: Idempotency-Key with a space`, method: "POST", path, body: () => JSON.stringify(valid()), headers: { "idempotency-key": "a b" }, status: 400, type: t("invalid-request") });
  add({ name: `${name}: Idempotency-Key of 300 chars`, method: "POST", path, body: () => JSON.stringify(valid()), headers: { "idempotency-key": "k".repeat(300) }, status: 400, type: t("invalid-request") });
  add({ name: `${name}: PUT on the collection`, method: "PUT", path, body: () => JSON.stringify(valid()), status: 405, type: t("method-not-allowed") });
  for (const q of ["limit=0", "limit=-1", `limit=${limits.pageSize + 1}`, "limit=abc", "cursor=abc", "cursor=%FF", "colour=blue"]) {
    add({ name: `${name}: list ?${q}`, method: "GET", path: () => `${path()}?${q}`, status: 400, type: t("invalid-request") });
  }
}

// Tokens of every state and scope, on every child collection.
for (const k of kindNames) {
  add({ name: `${k}: no token`, method: "POST", path: col(k), token: () => null, body: json(kinds[k].body()), status: 401, type: t("unauthorized") });
  add({ name: `${k}: unknown token`, method: "POST", path: col(k), token: () => "omt_unknown", body: json(kinds[k].body()), status: 401, type: t("unauthorized") });
  add({ name: `${k}: expired token`, method: "POST", path: col(k), token: () => tokens.expired, body: json(kinds[k].body()), status: 401, type: t("unauthorized") });
  add({ name: `${k}: revoked token`, method: "POST", path: col(k), token: () => tokens.revoked, body: json(kinds[k].body()), status: 401, type: t("unauthorized") });
  add({ name: `${k}: events:read token writes`, method: "POST", path: col(k), token: () => tokens.reader, body: json(kinds[k].body()), status: 403, type: t("forbidden") });
  add({ name: `${k}: events:read token lists`, method: "GET", path: col(k), token: () => tokens.reader, status: 403, type: t("forbidden") });
  add({ name: `${k}: other tenant's token writes`, method: "POST", path: col(k), token: () => tokens.otherWriter, body: json(kinds[k].body()), status: 404, type: t("not-found") });
  add({ name: `${k}: other tenant's token reads an object`, method: "GET", path: item(k), token: () => tokens.otherWriter, status: 404, type: t("not-found") });
  add({ name: `${k}: other tenant's object through this tenant's path`, method: "GET", path: item(k, A, () => ids[`B.${k}`]), status: 404, type: t("not-found") });
  add({ name: `${k}: id of another kind`, method: "GET", path: item(k, A, () => ids["A.tenantless"]), status: 404, type: t("not-found") });
  add({ name: `${k}: over-long id`, method: "GET", path: item(k, A, () => `${kinds[k].prefix}_${"a".repeat(400)}`), status: 404, type: t("not-found") });
  add({ name: `${k}: malformed percent-encoding in the id`, method: "GET", path: item(k, A, () => "%E0%A4%A"), status: 400, type: t("invalid-request") });
  add({ name: `${k}: PATCH unknown field`, method: "PATCH", path: item(k), body: json({ colour: "blue" }), status: 400, type: t("invalid-request") });
  add({ name: `${k}: PATCH array body`, method: "PATCH", path: item(k), body: json([]), status: 400, type: t("invalid-request") });
  add({ name: `${k}: PATCH stale If-Match`, method: "PATCH", path: item(k), body: json({}), headers: { "if-match": '"999"' }, status: 412, type: t("precondition-failed") });
  add({ name: `${k}: DELETE stale If-Match`, method: "DELETE", path: item(k), headers: { "if-match": '"999"' }, status: 412, type: t("precondition-failed") });
  add({ name: `${k}: DELETE garbage If-Match`, method: "DELETE", path: item(k), headers: { "if-match": "garbage" }, status: 412, type: t("precondition-failed") });
  add({ name: `${k}: POST on an object`, method: "POST", path: item(k), body: json({}), status: 405, type: t("method-not-allowed") });
  add({ name: `${k}: tenantId in the body for another tenant`, method: "POST", path: col(k), body: () => JSON.stringify({ ...kinds[k].body(), tenantId: ids.B }), status: 422, type: t("validation-failed") });
  add({ name: `${k}: the management instance`, method: "POST", path: col(k, () => ids.reserved), body: json(kinds[k].body()), status: 403, type: t("reserved-instance") });
}

// References across tenants, wrong types, out-of-range values.
add({ name: "agent: queue of another tenant", method: "POST", path: col("agents"), body: () => JSON.stringify(agentBody("xref1", { queueIds: [ids["B.queues"]] })), status: 422, type: t("validation-failed") });
add({ name: "group: member extension of another tenant", method: "POST", path: col("user-groups"), body: () => JSON.stringify({ name: "xref", memberIds: [ids["B.extensions"]] }), status: 422, type: t("validation-failed") });
add({ name: "credential: agent of another tenant", method: "POST", path: col("integrations"), body: () => JSON.stringify({ name: "xref", kind: "iris", agentIds: [ids["B.agents"]] }), status: 422, type: t("validation-failed") });
add({ name: "group: queue of another tenant", method: "POST", path: col("user-groups"), body: () => JSON.stringify({ name: "xq", queueId: ids["B.queues"] }), status: 422, type: t("validation-failed") });
add({ name: "agent: roles as a string", method: "POST", path: col("agents"), body: () => JSON.stringify(agentBody("types1", { roles: "agent" })), status: 400, type: t("invalid-request") });
add({ name: "agent: password as a number", method: "POST", path: col("agents"), body: () => JSON.stringify(agentBody("types2", { password: 12345678 })), status: 400, type: t("invalid-request") });
add({ name: "agent: email too long", method: "POST", path: col("agents"), body: () => JSON.stringify(agentBody("size1", { email: `${"e".repeat(300)}@example.com` })), status: 422, type: t("validation-failed") });
add({ name: "agent: 101 queues", method: "POST", path: col("agents"), body: () => JSON.stringify(agentBody("size2", { queueIds: Array.from({ length: 101 }, (_, i) => `que_${String(i).padStart(8, "a")}`) })), status: 422, type: t("validation-failed") });
add({ name: "tenant: country lower case", method: "POST", path: () => "/v1/tenants", body: () => JSON.stringify(tenantBody({ country: "fr" })), status: 422, type: t("validation-failed") });
add({ name: "tenant: unknown time zone", method: "POST", path: () => "/v1/tenants", body: () => JSON.stringify(tenantBody({ timeZone: "Mars/Olympus" })), status: 422, type: t("validation-failed") });
add({ name: "tenant: management FQDN", method: "POST", path: () => "/v1/tenants", body: () => JSON.stringify(tenantBody({ fqdn: "management.omnitenant.local" })), status: 403, type: t("reserved-instance") });
add({ name: "tenant: create with a tenant token", method: "POST", path: () => "/v1/tenants", token: () => tokens.star, body: () => JSON.stringify(tenantBody()), status: 403, type: t("forbidden") });
add({ name: "tenant: patch with a tenant token", method: "PATCH", path: () => `/v1/tenants/${ids.A}`, token: () => tokens.star, body: json({ plan: "x" }), status: 403, type: t("forbidden") });
add({ name: "tenant: delete with a tenant token", method: "DELETE", path: () => `/v1/tenants/${ids.A}`, token: () => tokens.star, status: 403, type: t("forbidden") });
add({ name: "tenant: list with a tenant token", method: "GET", path: () => "/v1/tenants", token: () => tokens.star, status: 403, type: t("forbidden") });
add({ name: "tenant: patch the management instance", method: "PATCH", path: () => `/v1/tenants/${ids.reserved}`, body: json({ plan: "x" }), status: 403, type: t("reserved-instance") });
add({ name: "tenant: delete the management instance", method: "DELETE", path: () => `/v1/tenants/${ids.reserved}`, status: 403, type: t("reserved-instance") });
add({ name: "tenant: lower maxAgents below use", method: "PATCH", path: () => `/v1/tenants/${ids.A}`, body: json({ capabilities: { ...tenantBody().capabilities, maxAgents: 0 } }), status: 422, type: t("quota-exceeded") });
add({ name: "admin: stats with a tenant token", method: "GET", path: () => "/v1/admin/stats", token: () => tokens.star, status: 403, type: t("forbidden") });
add({ name: "admin: encoded stats path with a tenant token", method: "DELETE", path: () => "/v1/%61dmin/stats", token: () => tokens.star, status: 403, type: t("forbidden") });
add({ name: "token: mint '*' from provisioning:write", method: "POST", path: col("integrations"), token: () => tokens.writer, body: json({ name: "wider", kind: "apiToken", scopes: ["*"] }), status: 403, type: t("forbidden") });
add({ name: "changes: apply with events:read", method: "POST", path: () => `/v1/tenants/${ids.A}/changes/apply`, token: () => tokens.reader, status: 403, type: t("forbidden") });
add({ name: "changes: apply with a body", method: "POST", path: () => `/v1/tenants/${ids.A}/changes/apply`, body: json({ force: true }), status: 400, type: t("invalid-request") });
add({ name: "changes: GET apply", method: "GET", path: () => `/v1/tenants/${ids.A}/changes/apply`, status: 405, type: t("method-not-allowed") });
add({ name: "changes: another tenant's token", method: "GET", path: () => `/v1/tenants/${ids.A}/changes`, token: () => tokens.otherWriter, status: 404, type: t("not-found") });
add({ name: "changes: withdraw with events:read", method: "DELETE", path: () => `/v1/tenants/${ids.A}/changes/${ids["A.extensions"]}`, token: () => tokens.reader, status: 403, type: t("forbidden") });
add({ name: "changes: withdraw with another tenant's token", method: "DELETE", path: () => `/v1/tenants/${ids.A}/changes/${ids["A.extensions"]}`, token: () => tokens.otherWriter, status: 404, type: t("not-found") });
add({ name: "changes: withdraw another tenant's change", method: "DELETE", path: () => `/v1/tenants/${ids.A}/changes/${ids["B.extensions"]}`, status: 404, type: t("not-found") });
add({ name: "changes: withdraw with a stale If-Match", method: "DELETE", path: () => `/v1/tenants/${ids.A}/changes/${ids["A.extensions"]}`, headers: { "if-match": '"999"' }, status: 412, type: t("precondition-failed") });
add({ name: "changes: withdraw what has no pending change", method: "DELETE", path: () => `/v1/tenants/${ids.A}/changes/${ids["A.agents"]}`, status: 404, type: t("not-found") });
add({ name: "changes: withdraw an unknown id", method: "DELETE", path: () => `/v1/tenants/${ids.A}/changes/zzz_abcdef123`, status: 404, type: t("not-found") });
add({ name: "changes: GET a change", method: "GET", path: () => `/v1/tenants/${ids.A}/changes/${ids["A.extensions"]}`, status: 405, type: t("method-not-allowed") });
add({ name: "unknown route", method: "GET", path: () => "/v1/nothing", status: 404, type: t("not-found") });
add({ name: "openapi: DELETE", method: "DELETE", path: () => "/v1/openapi.json", status: 405, type: t("method-not-allowed") });

/** Counts and revision sums of every table: equal before and after means nothing was stored. */
const snapshot = () =>
  JSON.stringify(
    ["tenants", "objects", "api_tokens", "idempotency_keys"].map((table) =>
      db.prepare(`SELECT COUNT(*) AS n${table === "tenants" || table === "objects" ? ", SUM(revision) AS r" : ""} FROM ${table}`).get(),
    ),
  );

beforeAll(async () => {
  p = await startTestPlatform({ now: () => clock.now });
  for (const side of ["A", "B"]) {
    const tenant = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    ids[side] = tenant;
    for (const k of kindNames) {
      const res = await p.api("POST", `/v1/tenants/${tenant}/${k}`, kinds[k].body());
      if (res.status !== 201) throw new Error(`setup ${k}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[`${side}.${k}`] = res.body[{ agents: "agentId", queues: "queueId", extensions: "extensionId", "user-groups": "userGroupId", "incoming-numbers": "incomingNumberId", integrations: "credentialId" }[k]];
    }
  }
  ids["A.tenantless"] = "zzz_abcdef123";
  const token = async (tenant: string, name: string, scopes: string[], expiresAt?: string) => {
    const res = await p.api("POST", `/v1/tenants/${tenant}/integrations`, { name, kind: "apiToken", scopes, ...(expiresAt ? { expiresAt } : {}) });
    if (res.status !== 201) throw new Error(`token ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  tokens.writer = (await token(ids.A, "writer", ["provisioning:write"])).token;
  tokens.reader = (await token(ids.A, "reader", ["events:read"])).token;
  tokens.star = (await token(ids.A, "star", ["*"])).token;
  tokens.otherWriter = (await token(ids.B, "writer", ["*"])).token;
  tokens.expired = (await token(ids.A, "expired", ["*"], new Date(clock.now + 3_600_000).toISOString())).token;
  const revoked = await token(ids.A, "revoked", ["*"]);
  tokens.revoked = revoked.token;
  await p.api("DELETE", `/v1/tenants/${ids.A}/integrations/${revoked.credentialId}`);
  const list = (await p.api("GET", "/v1/tenants?limit=500")).body.items as Array<{ tenantId: string; reserved: boolean }>;
  ids.reserved = list.find((x) => x.reserved)!.tenantId;
  clock.now += 7_200_000; // the expiring token (one hour) is now expired
  db = new Database(p.dataFile, { readonly: true });
});
afterAll(async () => {
  db?.close();
  await p.dispose();
});

test(`the table holds at least 150 bad inputs (${rows.length})`, () => expect(rows.length).toBeGreaterThanOrEqual(150));

test("every bad input is answered with its status and problem type, a request id, and nothing stored", async () => {
  const outcomes: Array<{ name: string; status: number; type: string | undefined }> = [];
  let clean = 0;
  let serverErrors = 0;
  for (const row of rows) {
    const before = snapshot();
    const token = row.token ? row.token() : p.operatorToken;
    const body = row.body?.();
    const res = await fetch(p.url + row.path(), {
      method: row.method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...row.headers },
      body,
    });
    const text = await res.text();
    let problem: { type?: string; requestId?: string } = {};
    try {
      problem = JSON.parse(text);
    } catch {
      /* not JSON: counted as unclean below */
    }
    const ok =
      res.status === row.status && problem.type === row.type && /^application\/problem\+json/.test(res.headers.get("content-type") ?? "") && /^req_/.test(problem.requestId ?? "") && snapshot() === before;
    if (ok) clean++;
    if (res.status >= 500) serverErrors++;
    outcomes.push({ name: row.name, status: res.status, type: problem.type });
    expect({ row: row.name, status: res.status, type: problem.type, stored: snapshot() !== before }).toEqual({ row: row.name, status: row.status, type: row.type, stored: false });
  }
  process.stdout.write(`hostile table: ${rows.length} bad inputs tried, ${clean} answered cleanly, ${serverErrors} server errors\n`);
  expect(clean).toBe(rows.length);
  expect(serverErrors).toBe(0);
});
