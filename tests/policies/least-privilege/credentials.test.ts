import { leastPrivilegePolicies } from "../../../policies/least-privilege/policies";
import { credential, inDays, NOW, tenant } from "../fixtures";
import { UNKNOWN, violationsOf, type ResourceSpec } from "../harness";

const pack = leastPrivilegePolicies({ stack: () => "dev", now: () => NOW });
const acme = tenant("acme");
const runOn = (policy: string) => (c: ResourceSpec, config = {}) => violationsOf(pack, policy, [acme, c], config);

describe("api-credential-scopes", () => {
  const run = runOn("api-credential-scopes");

  it("passes explicit scopes on an apiToken and an oauth2Client", async () => {
    expect(await run(credential(acme, "sync", "apiToken"))).toEqual([]);
    expect(await run(credential(acme, "app", "oauth2Client"))).toEqual([]);
  });

  it.each([["*"], ["events:*"], ["transcripts*"]])("refuses the wildcard scope %s", async (scope) => {
    const v = await run(credential(acme, "sync", "apiToken", { scopes: ["events:read", scope] }));
    expect(v).toHaveLength(1);
    expect(v[0].level).toBe("mandatory");
    expect(v[0].message).toContain('omnitenant:IntegrationCredential "sync"');
    expect(v[0].message).toContain(`wildcards: ${JSON.stringify(scope)}`);
    expect(v[0].message).toContain("Fix: replace");
  });

  it("refuses an oauth2Client without scopes, or with an empty list", async () => {
    const none = credential(acme, "app", "oauth2Client");
    delete none.props.scopes;
    expect((await run(none))[0].message).toContain("scopes not set");
    expect((await run(credential(acme, "app", "oauth2Client", { scopes: [] })))[0].message).toContain("scopes []");
  });

  it("ignores kinds that take no scopes, and unknown scopes during a preview", async () => {
    expect(await run(credential(acme, "hook", "webhook"))).toEqual([]);
    expect(await run(credential(acme, "sync", "apiToken", { scopes: UNKNOWN }))).toEqual([]);
    expect(await run(credential(acme, "sync", "apiToken", { kind: UNKNOWN, scopes: ["*"] }))).toEqual([]);
  });
});

describe("api-credential-lifetime", () => {
  const run = runOn("api-credential-lifetime");

  it("passes an expiry within 90 days", async () => {
    expect(await run(credential(acme, "sync", "apiToken", { expiresAt: inDays(90) }))).toEqual([]);
    expect(await run(credential(acme, "app", "oauth2Client"))).toEqual([]);
  });

  it("refuses an expiry past 90 days, saying how far and the latest allowed date", async () => {
    const v = await run(credential(acme, "sync", "apiToken", { expiresAt: inDays(120) }));
    expect(v).toHaveLength(1);
    expect(v[0].level).toBe("mandatory");
    expect(v[0].message).toContain("must expire within 90 days");
    expect(v[0].message).toContain("120 days from now");
    expect(v[0].message).toContain(`no later than ${inDays(90)}`);
  });

  it("refuses a credential that never expires", async () => {
    const c = credential(acme, "app", "oauth2Client");
    delete c.props.expiresAt;
    const v = await run(c);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("expiresAt not set (never expires)");
  });

  it("refuses an expiry that is not a date-time", async () => {
    expect((await run(credential(acme, "sync", "apiToken", { expiresAt: "next year" })))[0].message).toContain('expiresAt "next year" is not a date-time');
  });

  it("follows the configured lifetime", async () => {
    const config = { "api-credential-lifetime": { maxLifetimeDays: 7 } };
    expect(await run(credential(acme, "sync", "apiToken", { expiresAt: inDays(30) }), config)).toHaveLength(1);
    expect(await run(credential(acme, "sync", "apiToken", { expiresAt: inDays(7) }), config)).toEqual([]);
  });

  it("ignores other kinds, and an unknown expiry during a preview", async () => {
    expect(await run(credential(acme, "crm", "salesforce"))).toEqual([]);
    expect(await run(credential(acme, "sync", "apiToken", { expiresAt: UNKNOWN }))).toEqual([]);
  });
});

describe("webhook-https-only", () => {
  const run = runOn("webhook-https-only");
  const hook = (url: unknown) => credential(acme, "hook", "webhook", { settings: { url, events: ["chat.closed"] } });

  it("passes an https URL", async () => {
    expect(await run(hook("https://hooks.example.com/omni"))).toEqual([]);
  });

  it("refuses an http URL and proposes its https form", async () => {
    const v = await run(hook("http://hooks.example.com/omni"));
    expect(v).toHaveLength(1);
    expect(v[0].level).toBe("mandatory");
    expect(v[0].message).toContain('settings.url "http://hooks.example.com/omni"');
    expect(v[0].message).toContain('use "https://hooks.example.com/omni"');
  });

  it("refuses another scheme", async () => {
    expect((await run(hook("ftp://hooks.example.com/x")))[0].message).toContain("set settings.url to an https URL");
  });

  it("ignores other kinds, and an unknown URL during a preview", async () => {
    expect(await run(credential(acme, "crm", "salesforce", { settings: { instanceUrl: "http://crm.example.com" } }))).toEqual([]);
    expect(await run(hook(UNKNOWN))).toEqual([]);
    expect(await run(credential(acme, "hook", "webhook", { settings: UNKNOWN }))).toEqual([]);
  });
});

describe("integration-tagged-to-agent", () => {
  const run = runOn("integration-tagged-to-agent");

  it("passes CRM and telephony credentials tagged to an agent, known or still to be created", async () => {
    expect(await run(credential(acme, "crm", "salesforce"))).toEqual([]);
    expect(await run(credential(acme, "pbx", "netsapiens", { agentIds: [UNKNOWN] }))).toEqual([]);
    expect(await run(credential(acme, "pbx", "netsapiens", { agentIds: UNKNOWN }))).toEqual([]);
  });

  it.each(["zoho", "salesforce", "hubspot", "netsapiens", "portaone", "bicom"])("refuses an untagged %s credential", async (kind) => {
    const v = await run(credential(acme, "crm", kind, { agentIds: [] }));
    expect(v).toHaveLength(1);
    expect(v[0].level).toBe("mandatory");
    expect(v[0].message).toContain(`a ${kind} integration must be tagged`);
    expect(v[0].message).toContain("agentIds []");
  });

  it("refuses a credential without agentIds", async () => {
    const c = credential(acme, "crm", "salesforce");
    delete c.props.agentIds;
    expect((await run(c))[0].message).toContain("agentIds not set");
  });

  it("does not require tags on other kinds", async () => {
    for (const kind of ["apiToken", "webhook", "iris", "modelProvider"]) expect(await run(credential(acme, "x", kind, { agentIds: [] }))).toEqual([]);
  });
});
