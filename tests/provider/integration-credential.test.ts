import { credentialProvider } from "../../provider/integration-credential";
import { agentProvider } from "../../provider/agent";
import { tenantProvider } from "../../provider/tenant";
import { checked, lifecycleTests, startProviderPlatform, tenantArgs, unique, type TestPlatform } from "./helpers";

let p: TestPlatform;
let tenant: Record<string, any>;
let agentId: string;
beforeAll(async () => {
  p = await startProviderPlatform();
  tenant = (await tenantProvider.create(await checked(tenantProvider, tenantArgs()))).outs;
  agentId = (
    await agentProvider.create(
      await checked(agentProvider, { tenantId: tenant.tenantId, account: "zed", password: "zed-password", firstName: "Zed", alias: "Z", email: "z@example.com" }),
    )
  ).id;
});
afterAll(async () => p.close());

const webhook = () =>
  checked(credentialProvider, {
    tenantId: tenant.tenantId,
    name: unique("hook-"),
    kind: "webhook",
    settings: { url: "https://hooks.example.com/omni", events: ["chat.closed"] },
  });

describe("IntegrationCredential provider over HTTP", () => {
  lifecycleTests({
    p: () => p,
    provider: credentialProvider,
    idField: "credentialId",
    inputs: webhook,
    inPlace: (i) => ({ ...i, settings: { ...i.settings, events: ["chat.closed", "agent.assigned"] }, agentIds: [agentId] }),
    expectInPlace: (o) => {
      expect(o.settings.events).toEqual(["chat.closed", "agent.assigned"]);
      expect(o.agentIds).toEqual([agentId]);
    },
    replace: (i) => ({ ...i, name: unique("hook-") }),
    replaces: ["name"],
    outOfBand: { settings: { url: "https://elsewhere.example.com/h", events: ["chat.closed"] } },
    driftField: "settings",
  });

  test("generated secrets come back once, and are carried through refresh and update", async () => {
    const inputs = await checked(credentialProvider, {
      tenantId: tenant.tenantId, name: unique("api-"), kind: "apiToken", scopes: ["events:read"], expiresAt: "2030-01-01T00:00:00Z",
    });
    const { id, outs } = await credentialProvider.create(inputs);
    expect(outs.token).toEqual(expect.any(String));
    const read = await credentialProvider.read(id, outs);
    expect(read.props!.token).toBe(outs.token);
    expect(await credentialProvider.diff(id, read.props!, inputs)).toMatchObject({ changes: false });
    const { outs: after } = await credentialProvider.update(id, read.props!, { ...inputs, scopes: ["events:read", "activity:read"] });
    expect(after.token).toBe(outs.token);
    expect(after.scopes).toEqual(["events:read", "activity:read"]);
  });

  test("settings defaults and expiry forms do not make a perpetual diff", async () => {
    const inputs = await checked(credentialProvider, {
      tenantId: tenant.tenantId, name: unique("crm-"), kind: "salesforce", settings: {}, secrets: { clientSecret: "sf-client-secret" }, agentIds: [agentId],
    });
    expect(inputs.settings).toEqual({ syncCases: true, syncAccounts: true });
    const { id, outs } = await credentialProvider.create(inputs);
    expect(outs.secrets).toEqual({ clientSecret: "sf-client-secret" });
    expect(outs.secretKeys).toEqual(["clientSecret"]);
    expect(await credentialProvider.diff(id, outs, inputs)).toMatchObject({ changes: false });
    const changed = await credentialProvider.diff(id, outs, { ...inputs, secrets: { clientSecret: "rotated-secret" } });
    expect(changed).toMatchObject({ changes: true, replaces: [] });
  });

  test("changing the kind replaces; with the same name the old one goes first", async () => {
    const inputs = await webhook();
    const { id, outs } = await credentialProvider.create(inputs);
    const news = await checked(credentialProvider, { tenantId: tenant.tenantId, name: inputs.name, kind: "iris" });
    expect(await credentialProvider.diff(id, outs, news)).toMatchObject({ changes: true, replaces: ["kind"], deleteBeforeReplace: true });
  });

  test("secrets removed on the platform are set again after a refresh", async () => {
    const inputs = await checked(credentialProvider, {
      tenantId: tenant.tenantId, name: unique("zoho-"), kind: "zoho", secrets: { apiKey: "zoho-api-key" }, agentIds: [agentId],
    });
    const { id, outs } = await credentialProvider.create(inputs);
    await p.raw("PATCH", `/v1/tenants/${tenant.tenantId}/integrations/${id}`, { secrets: {} });
    const read = await credentialProvider.read(id, outs);
    expect(read.inputs!.secrets).toEqual({});
    expect(await credentialProvider.diff(id, read.props!, inputs)).toMatchObject({ changes: true });
    const { outs: fixed } = await credentialProvider.update(id, read.props!, inputs);
    expect(fixed.secretKeys).toEqual(["apiKey"]);
  });
});
