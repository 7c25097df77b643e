/**
 * Bad inputs fail at `check`, before any request: each row asserts the property path and the reason,
 * and the platform's own counters prove that nothing reached it.
 */
import { tenantProvider } from "../../provider/tenant";
import { agentProvider } from "../../provider/agent";
import { queueProvider } from "../../provider/queue";
import { extensionProvider } from "../../provider/extension";
import { userGroupProvider } from "../../provider/user-group";
import { incomingNumberProvider } from "../../provider/incoming-number";
import { credentialProvider } from "../../provider/integration-credential";
import { unknownSentinel } from "../../provider/check";
import { startProviderPlatform, tenantArgs, type KindProvider, type TestPlatform } from "./helpers";

let p: TestPlatform;
beforeAll(async () => (p = await startProviderPlatform()));
afterAll(async () => p.close());

const T = "ten_abcdef123";
const tenant = tenantArgs();
const agent = { tenantId: T, account: "alice", password: "password123", firstName: "A", alias: "A", email: "a@example.com" };
const ext = { tenantId: T, number: "101", name: "X" };
const num = { tenantId: T, number: "+33187654321" };
const cred = { tenantId: T, name: "c" };
const U = unknownSentinel;

type Row = [string, KindProvider, Record<string, any>, string, RegExp];
const rows: Row[] = [
  ["unknown time zone", tenantProvider, { ...tenant, timeZone: "Mars/Olympus" }, "timeZone", /IANA time zone/],
  ["country not ISO 3166-1", tenantProvider, { ...tenant, country: "XX" }, "country", /ISO 3166-1 alpha-2/],
  ["country in lower case", tenantProvider, { ...tenant, country: "fr" }, "country", /upper case/],
  ["language not BCP 47", tenantProvider, { ...tenant, language: "en_US" }, "language", /BCP 47/],
  ["fqdn with spaces", tenantProvider, { ...tenant, fqdn: "Not A Domain" }, "fqdn", /fully qualified domain name/],
  ["missing company name", tenantProvider, { ...tenant, companyName: undefined }, "companyName", /^is required$/],
  ["admin password of 5", tenantProvider, { ...tenant, admin: { ...tenant.admin, password: "short" } }, "admin.password", /at least 8 characters/],
  ["admin email", tenantProvider, { ...tenant, admin: { ...tenant.admin, email: "admin" } }, "admin.email", /email address/],
  ["missing admin", tenantProvider, { ...tenant, admin: undefined }, "admin", /^is required$/],
  ["negative capability", tenantProvider, { ...tenant, capabilities: { ...tenant.capabilities, maxAgents: -1 } }, "capabilities.maxAgents", /^must be at least 0$/],
  ["fractional capability", tenantProvider, { ...tenant, capabilities: { ...tenant.capabilities, diskQuotaGb: 1.5 } }, "capabilities.diskQuotaGb", /^must be a whole number$/],
  ["misspelt capability", tenantProvider, { ...tenant, capabilities: { ...tenant.capabilities, maxAgnets: 3 } }, "capabilities.maxAgnets", /did you mean "maxAgents"/],
  ["unknown organization size", tenantProvider, { ...tenant, organizationSize: "huge" }, "organizationSize", /must be one of .*"11-50".*got "huge"/],
  ["deletionProtection not boolean", tenantProvider, { ...tenant, deletionProtection: "yes" }, "deletionProtection", /must be a boolean, not a string/],
  ["adopt not boolean", tenantProvider, { ...tenant, adopt: "please" }, "adopt", /true or false/],
  ["unknown role", agentProvider, { ...agent, roles: ["superuser"] }, "roles[0]", /must be one of "agent", "supervisor", "admin", "test"; got "superuser"/],
  ["no roles", agentProvider, { ...agent, roles: [] }, "roles", /at least one role/],
  ["repeated role", agentProvider, { ...agent, roles: ["agent", "agent"] }, "roles", /not repeat a role/],
  ["empty queue list", agentProvider, { ...agent, queueIds: [] }, "queueIds", /at least one queue/],
  ["queue id of another kind", agentProvider, { ...agent, queueIds: ["agt_abcdef"] }, "queueIds[0]", /que_/],
  ["phone not E.164", agentProvider, { ...agent, phone: "0612345678" }, "phone", /E\.164/],
  ["tenantId not an id", agentProvider, { ...agent, tenantId: "acme" }, "tenantId", /ten_/],
  ["agent email", agentProvider, { ...agent, email: "nope" }, "email", /email address/],
  ["agent password of 7", agentProvider, { ...agent, password: "1234567" }, "password", /at least 8 characters/],
  ["account with spaces", agentProvider, { ...agent, account: "alice smith" }, "account", /letters, digits/],
  ["misspelt agent field", agentProvider, { ...agent, skils: ["x"] }, "skils", /did you mean "skills"/],
  ["follow-me with forwarding", extensionProvider, { ...ext, followMe: { destinations: [{ target: "102" }] }, forwarding: { onBusy: { destinations: [{ target: "103" }] } } }, "followMe", /cannot be set together with forwarding/],
  ["blf key without target", extensionProvider, { ...ext, keys: [{ position: 1, action: "blf" }] }, "keys[0].target", /needs a target/],
  ["switch key with target", extensionProvider, { ...ext, keys: [{ position: 1, action: "switch", target: "102" }] }, "keys[0].target", /takes no target/],
  ["key position 21", extensionProvider, { ...ext, keys: [{ position: 21, action: "switch" }] }, "keys[0].position", /^must be at most 20$/],
  ["key position twice", extensionProvider, { ...ext, keys: [{ position: 3, action: "switch" }, { position: 3, action: "pickup", target: "102" }] }, "keys[1].position", /configured twice/],
  ["unknown key action", extensionProvider, { ...ext, keys: [{ position: 1, action: "dance" }] }, "keys[0].action", /got "dance"/],
  ["blf key to an external number", extensionProvider, { ...ext, keys: [{ position: 1, action: "blf", target: "+14155550123" }] }, "keys[0].target", /extension number of the same tenant/],
  ["portal password of 7", extensionProvider, { ...ext, portal: { username: "x1", password: "1234567" } }, "portal.password", /at least 8 characters/],
  ["unknown portal permission", extensionProvider, { ...ext, portal: { username: "x1", password: "12345678", permissions: ["root"] } }, "portal.permissions[0]", /userPortalAccess.*got "root"/],
  ["GSM number not E.164", extensionProvider, { ...ext, gsmNumber: "+0123" }, "gsmNumber", /E\.164/],
  ["extension number with leading 0", extensionProvider, { ...ext, number: "01" }, "number", /2 to 6 digits/],
  ["ring time of 2 s", extensionProvider, { ...ext, forwarding: { onNoAnswer: { destinations: [{ target: "102", ringSeconds: 2 }] } } }, "forwarding.onNoAnswer.destinations[0].ringSeconds", /^must be at least 5$/],
  ["follow-me target not a number", extensionProvider, { ...ext, followMe: { destinations: [{ target: "reception" }] } }, "followMe.destinations[0].target", /extension number .* or an E\.164/],
  ["follow-me without destinations", extensionProvider, { ...ext, followMe: { destinations: [] } }, "followMe.destinations", /at least one destination/],
  ["incoming number not E.164", incomingNumberProvider, { ...num, number: "+33123" }, "number", /E\.164/],
  ["extension destination without target", incomingNumberProvider, { ...num, destination: { type: "extension" } }, "destination.target", /needs a target/],
  ["unknown destination type", incomingNumberProvider, { ...num, destination: { type: "fax" } }, "destination.type", /got "fax"/],
  ["hang-up destination with target", incomingNumberProvider, { ...num, destination: { type: "hangUp", target: "101" } }, "destination.target", /takes no target/],
  ["voicemail destination to E.164", incomingNumberProvider, { ...num, destination: { type: "voicemail", target: "+33187654321" } }, "destination.target", /extension number of the same tenant/],
  ["webhook URL", credentialProvider, { ...cred, kind: "webhook", settings: { url: "nope", events: ["chat.closed"] } }, "settings.url", /must be a URL/],
  ["webhook event", credentialProvider, { ...cred, kind: "webhook", settings: { url: "https://h.example.com", events: ["chat.exploded"] } }, "settings.events[0]", /chat\.closed/],
  ["API token without scopes", credentialProvider, { ...cred, kind: "apiToken" }, "scopes", /at least one scope/],
  ["unknown API token scope", credentialProvider, { ...cred, kind: "apiToken", scopes: ["admin:all"] }, "scopes[0]", /unknown API token scope "admin:all"/],
  ["scopes on a CRM", credentialProvider, { ...cred, kind: "zoho", scopes: ["x"] }, "scopes", /takes no scopes/],
  ["unknown credential kind", credentialProvider, { ...cred, kind: "myspace" }, "kind", /got "myspace"/],
  ["expiry not ISO 8601", credentialProvider, { ...cred, kind: "oauth2Client", scopes: ["x"], settings: { redirectUris: ["https://a.example.com/cb"] }, expiresAt: "tomorrow" }, "expiresAt", /ISO 8601/],
  ["OAuth2 without redirect URIs", credentialProvider, { ...cred, kind: "oauth2Client", scopes: ["x"], settings: { redirectUris: [] } }, "settings.redirectUris", /at least one redirect URI/],
  ["telephony without server URL", credentialProvider, { ...cred, kind: "bicom", settings: {} }, "settings.serverUrl", /^is required$|expected string/],
  ["empty group name", userGroupProvider, { tenantId: T, name: "" }, "name", /must not be empty/],
  ["repeated group member", userGroupProvider, { tenantId: T, name: "G", memberIds: ["ext_abcdef", "ext_abcdef"] }, "memberIds", /not repeat a member/],
  ["unknown queue channel", queueProvider, { tenantId: T, name: "Q", channel: "pigeon" }, "channel", /got "pigeon"/],
  ["queue description too long", queueProvider, { tenantId: T, name: "Q", description: "x".repeat(501) }, "description", /at most 500 characters/],
];

describe("check rejects bad input with the property and the reason, before any request", () => {
  test("the table covers every kind, with distinct cases", () => {
    const covered = new Set(rows.map((r) => r[1]));
    for (const provider of [tenantProvider, agentProvider, queueProvider, extensionProvider, incomingNumberProvider, userGroupProvider, credentialProvider]) {
      expect(covered.has(provider)).toBe(true);
    }
    expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
  });

  test.each(rows)("%s", async (_label, provider, news, property, reason) => {
    const r = await provider.check({}, news);
    const failure = (r.failures ?? []).find((f) => f.property === property);
    expect({ failures: r.failures, found: !!failure }).toMatchObject({ found: true });
    expect(failure!.reason).toMatch(reason);
  });

  test("no secret value appears in any reason", async () => {
    const r = await agentProvider.check({}, { ...agent, password: "seven77" });
    expect(JSON.stringify(r.failures)).not.toContain("seven77");
  });

  test("none of it reached the platform", async () => {
    const before = (await p.stats()).requests.total;
    for (const [, provider, news] of rows) await provider.check({}, news);
    expect((await p.stats()).requests.total).toBe(before);
    // The counter does count: one request through the API moves it by one.
    await p.raw("GET", "/v1/tenants?limit=1");
    expect((await p.stats()).requests.total).toBe(before + 1);
  });
});

describe("during preview, unknown values are tolerated, not rejected", () => {
  const tolerated: Array<[string, KindProvider, Record<string, any>]> = [
    ["unknown tenantId", agentProvider, { ...agent, tenantId: U }],
    ["unknown queue id in a list", agentProvider, { ...agent, queueIds: [U] }],
    ["unknown whole keys list", extensionProvider, { ...ext, keys: U }],
    ["unknown key target", extensionProvider, { ...ext, keys: [{ position: 1, action: "blf", target: U }] }],
    ["unknown member ids", userGroupProvider, { tenantId: T, name: "G", memberIds: [U, U] }],
    ["unknown credential kind (its settings cannot be judged yet)", credentialProvider, { ...cred, kind: U, settings: { anything: 1 } }],
    ["unknown admin password", tenantProvider, { ...tenant, admin: { ...tenant.admin, password: U } }],
  ];
  test.each(tolerated)("%s", async (_label, provider, news) => {
    const r = await provider.check({}, news);
    expect(r.failures ?? []).toEqual([]);
  });

  test("known bad values next to unknown ones still fail", async () => {
    const r = await agentProvider.check({}, { ...agent, tenantId: U, roles: ["superuser"] });
    expect(r.failures).toEqual([{ property: "roles[0]", reason: expect.stringMatching(/got "superuser"/) }]);
  });

  test("valid input comes back normalized, with defaults and the SDK's control inputs", async () => {
    const r = await extensionProvider.check({}, { ...ext, forwarding: { onBusy: { destinations: [{ target: "102" }] } }, adopt: true, __identity: "p/s/Extension/x" });
    expect(r.failures ?? []).toEqual([]);
    expect(r.inputs).toMatchObject({ voicemail: false, keys: [], adopt: true, __identity: "p/s/Extension/x", forwarding: { onBusy: { destinations: [{ target: "102", ringSeconds: 20 }] } } });
  });
});
