/**
 * Adopt (`adopt: true`): a create that meets an existing object with the same natural key takes it
 * over and sets the declared configuration — clearing what the program leaves out — unless the
 * existing object differs in a field that can only be set by replacing it.
 */
import { agentProvider } from "../../provider/agent";
import { credentialProvider } from "../../provider/integration-credential";
import { tenantProvider } from "../../provider/tenant";
import { ConflictError } from "../../provider/errors";
import { checked, startProviderPlatform, tenantArgs, unique, type TestPlatform } from "./helpers";
import { agentPasswordIs } from "./stored";

let p: TestPlatform;
let tenantId: string;
beforeAll(async () => {
  p = await startProviderPlatform();
  tenantId = (await tenantProvider.create(await checked(tenantProvider, tenantArgs()))).id;
});
afterAll(async () => p.close());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error("resolved; it must fail"),
    (e: unknown) => e,
  );

describe("adopt", () => {
  test("takes the existing object over, sets the declared fields and clears the ones left out", async () => {
    const account = unique("adopted");
    const made = await p.raw("POST", `/v1/tenants/${tenantId}/agents`, {
      account, password: "made-elsewhere", firstName: "Old", alias: "Old", email: "old@example.com", phone: "+33612345678", skills: ["French"],
    });
    expect(made.status).toBe(201);
    const inputs = await checked(agentProvider, { tenantId, account, password: "declared-password", firstName: "New", alias: "New", email: "new@example.com", adopt: true });
    const { id, outs } = await agentProvider.create(inputs);
    expect(id).toBe(made.body.agentId);
    const now = (await p.raw("GET", `/v1/tenants/${tenantId}/agents/${id}`)).body;
    expect(now).toMatchObject({ firstName: "New", alias: "New", email: "new@example.com" });
    expect(now.phone ?? null).toBeNull(); // declared absent: cleared
    expect(now.skills ?? []).toEqual([]);
    expect(now.queueIds).toEqual(made.body.queueIds); // platform-defaulted: left as the platform chose
    expect(await agentPasswordIs(p.dataFile, id, "declared-password")).toBe(true);
    expect(await agentProvider.diff(id, outs, inputs)).toMatchObject({ changes: false });
    const agents = (await p.raw("GET", `/v1/tenants/${tenantId}/agents?account=${account}`)).body.items;
    expect(agents).toHaveLength(1);
  });

  test("refuses when a field that only a replacement can change differs, naming it and the fix", async () => {
    const name = unique("crm-");
    const made = await p.raw("POST", `/v1/tenants/${tenantId}/integrations`, { name, kind: "zoho", secrets: { apiKey: "k" } });
    expect(made.status).toBe(201);
    const inputs = await checked(credentialProvider, { tenantId, name, kind: "salesforce", settings: {}, secrets: { clientSecret: "s" }, adopt: true });
    const err = await failure(credentialProvider.create(inputs));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ status: 409, type: "conflict" });
    expect((err as Error).message).toContain('kind "zoho", which cannot be changed to "salesforce" in place');
    expect((err as Error).message).toContain('Declare kind: "zoho" to adopt it');
    expect((err as Error).message).not.toContain('"s"');
    // Nothing was changed.
    expect((await p.raw("GET", `/v1/tenants/${tenantId}/integrations/${made.body.credentialId}`)).body).toMatchObject({ kind: "zoho", revision: made.body.revision });
  });

  test("without adopt, a clash names the existing object and how to adopt it", async () => {
    const account = unique("taken");
    const made = await p.raw("POST", `/v1/tenants/${tenantId}/agents`, { account, password: "made-elsewhere", firstName: "O", alias: "O", email: "o@example.com" });
    const err = await failure(agentProvider.create(await checked(agentProvider, { tenantId, account, password: "p-123456", firstName: "N", alias: "N", email: "n@example.com" })));
    expect(err).toMatchObject({ status: 409, type: "conflict" });
    expect((err as Error).message).toContain(`exists already (${made.body.agentId}) and this resource does not manage it`);
    expect((err as Error).message).toContain("set `adopt: true`");
  });

  test("an object that clashes but is gone by the time it is looked up: an error saying to run again, nothing guessed", async () => {
    const account = unique("vanishing");
    const made = await p.raw("POST", `/v1/tenants/${tenantId}/agents`, { account, password: "made-elsewhere", firstName: "V", alias: "V", email: "v@example.com" });
    const inputs = await checked(agentProvider, { tenantId, account, password: "p-1234567", firstName: "N", alias: "N", email: "n@example.com", adopt: true });
    const getsBefore = (await p.stats()).requests.byMethod.GET;
    // The lookup that follows the 409 is held by the platform while the object is deleted.
    await p.faults({ latency: 1, latencyMs: 5_000, methods: ["GET"] });
    const creating = failure(agentProvider.create(inputs));
    const end = Date.now() + 60_000;
    while ((await p.stats()).requests.byMethod.GET === getsBefore) {
      if (Date.now() > end) throw new Error("the lookup never reached the platform");
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await p.raw("DELETE", `/v1/tenants/${tenantId}/agents/${made.body.agentId}`)).status).toBe(204);
    const err = await creating;
    await p.faults({});
    expect((err as Error).message).toContain(`Agent with account "${account}" in tenant ${tenantId} was reported to exist but cannot be found; run \`pulumi up\` again`);
  });
});
