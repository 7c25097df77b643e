/**
 * One bound per field and per collection, declared in the shared schemas: the platform refuses
 * what exceeds it and stores nothing, the provider's check reports it at preview, and the OpenAPI
 * document carries it.
 */
import { credentialProvider } from "../../../provider/integration-credential";
import { agentProvider } from "../../../provider/agent";
import { credentialCountLimits, limits } from "../../../provider/schemas";
import { agentBody, startTestPlatform, tenantBody, type TestPlatform } from "../../support/platform";

const problem = (name: string) => `https://omnitenant.dev/problems/${name}`;
const long = (n: number) => "x".repeat(n);
const hook = (overrides: Record<string, unknown> = {}) => ({ name: "h", kind: "webhook", settings: { url: "https://hooks.example.com/in", events: ["chat.closed"] }, ...overrides });

let p: TestPlatform;
let t: string;
beforeAll(async () => {
  p = await startTestPlatform();
  t = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
});
afterAll(() => p.dispose());

const oversized: Array<[string, string, () => Record<string, unknown>, string]> = [
  ["agent email", "agents", () => agentBody("big", { email: `${long(limits.emailLength)}@example.com` }), "email"],
  ["secret value", "integrations", () => ({ name: "z", kind: "zoho", secrets: { apiKey: long(limits.secretValueLength + 1) } }), "secrets.apiKey"],
  ["secret key", "integrations", () => ({ name: "z", kind: "zoho", secrets: { [long(limits.secretKeyLength + 1)]: "v" } }), "secrets"],
  ["secret entries", "integrations", () => ({ name: "z", kind: "zoho", secrets: Object.fromEntries(Array.from({ length: limits.secretEntries + 1 }, (_, i) => [`k${i}`, "v"])) }), "secrets"],
  ["webhook URL", "integrations", () => hook({ settings: { url: `https://h.example.com/${long(limits.urlLength)}`, events: ["chat.closed"] } }), "settings.url"],
  ["redirect URIs", "integrations", () => ({ name: "o", kind: "oauth2Client", scopes: ["a"], settings: { redirectUris: Array.from({ length: limits.redirectUris + 1 }, (_, i) => `https://a.example.com/${i}`) } }), "settings.redirectUris"],
  ["scopes", "integrations", () => ({ name: "t", kind: "apiToken", scopes: Array.from({ length: limits.scopes + 1 }, (_, i) => `s${i}`) }), "scopes"],
];

describe("oversized fields", () => {
  test.each(oversized)("%s → 4xx problem naming the field, nothing stored", async (_what, path, body, field) => {
    const before = (await p.api("GET", `/v1/tenants/${t}/${path}?limit=500`)).body.items.length;
    const res = await p.api("POST", `/v1/tenants/${t}/${path}`, body());
    expect([400, 422]).toContain(res.status);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContainEqual(expect.stringMatching(new RegExp(`^${field.replace(".", "\\.")}`)));
    expect((await p.api("GET", `/v1/tenants/${t}/${path}?limit=500`)).body.items.length).toBe(before);
  });

  test("a page larger than the bound is a 400", async () => {
    const res = await p.api("GET", `/v1/tenants/${t}/agents?limit=${limits.pageSize + 1}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("limit");
  });
});

test("the provider's check reports the same bounds at preview", async () => {
  const secrets = await credentialProvider.check({}, { tenantId: "ten_abcdef123", name: "z", kind: "zoho", secrets: { apiKey: long(limits.secretValueLength + 1) } });
  expect(secrets.failures?.map((f) => f.property)).toContainEqual(expect.stringMatching(/^secrets/));
  const email = await agentProvider.check({}, { tenantId: "ten_abcdef123", account: "a1", password: "password123", firstName: "A", alias: "A", email: `${long(300)}@example.com` });
  expect(email.failures?.map((f) => f.property)).toContain("email");
});

test("the OpenAPI document carries the bounds", async () => {
  const doc = (await p.api("GET", "/v1/openapi.json")).body;
  const schema = doc.paths["/v1/tenants/{tenantId}/integrations"].post.requestBody.content["application/json"].schema;
  expect(schema.properties.secrets.maxProperties).toBe(limits.secretEntries);
  expect(schema.properties.secrets.additionalProperties.maxLength).toBe(limits.secretValueLength);
  const agent = doc.paths["/v1/tenants/{tenantId}/agents"].post.requestBody.content["application/json"].schema;
  expect(agent.properties.email.maxLength).toBe(limits.emailLength);
});

test.each(Object.entries(credentialCountLimits))("a tenant holds at most the bounded number of %s credentials", async (kind, max) => {
  const tenant = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
  const body = (i: number) =>
    kind === "apiToken" ? { name: `c${i}`, kind, scopes: ["events:read"] }
    : kind === "oauth2Client" ? { name: `c${i}`, kind, scopes: ["a"], settings: { redirectUris: ["https://a.example.com/cb"] } }
    : kind === "webhook" ? hook({ name: `c${i}` })
    : { name: `c${i}`, kind, settings: { provider: "p", model: "m" } };
  for (let i = 0; i < max; i++) expect((await p.api("POST", `/v1/tenants/${tenant}/integrations`, body(i))).status).toBe(201);
  const over = await p.api("POST", `/v1/tenants/${tenant}/integrations`, body(max));
  expect(over.status).toBe(422);
  expect(over.body.type).toBe(problem("quota-exceeded"));
  expect((await p.api("GET", `/v1/tenants/${tenant}/integrations?limit=500`)).body.items).toHaveLength(max);
});
