/**
 * Under injected faults — 503, 500, 429 with Retry-After, connection resets, and responses dropped
 * after the commit — every create ends with exactly one object, updates converge and deletes finish.
 */
import { agentProvider } from "../../provider/agent";
import { queueProvider } from "../../provider/queue";
import { extensionProvider } from "../../provider/extension";
import { credentialProvider } from "../../provider/integration-credential";
import { tenantProvider } from "../../provider/tenant";
import { clientStats } from "../../provider/client";
import { checked, startProviderPlatform, tenantArgs, unique, type TestPlatform } from "./helpers";
import { agentPasswordIs, credentialSecrets, tenantAdminPasswordIs } from "./stored";

let p: TestPlatform;
let tenantId: string;
beforeAll(async () => {
  p = await startProviderPlatform({ maxAttempts: 14, retryBaseMs: 5, retryMaxMs: 100 });
  tenantId = (await tenantProvider.create(await checked(tenantProvider, { ...tenantArgs(), capabilities: { ...tenantArgs().capabilities, maxAgents: 100, maxExtensions: 100, maxChannelAccounts: 50 } }))).id;
});
afterEach(async () => p.faults({}));
afterAll(async () => p.close());

const list = async (path: string) => (await p.raw("GET", `/v1/tenants/${tenantId}/${path}?limit=200`)).body.items as Array<Record<string, any>>;

describe("faults", () => {
  test("creates of every shape end with exactly one object each (503, 500, resets, commit-then-drop)", async () => {
    await p.faults({ error503: 0.2, error500: 0.05, reset: 0.1, dropAfterCommit: 0.3, seed: 7 });
    const retriesBefore = clientStats.retries;
    const agents = Array.from({ length: 12 }, (_, i) =>
      checked(agentProvider, { tenantId, account: `fault${i}`, password: "password-123", firstName: "F", alias: "F", email: "f@example.com" }).then((x) => agentProvider.create(x)),
    );
    const queues = Array.from({ length: 8 }, (_, i) => checked(queueProvider, { tenantId, name: `Fault queue ${i}` }).then((x) => queueProvider.create(x)));
    const extensions = Array.from({ length: 10 }, (_, i) =>
      checked(extensionProvider, { tenantId, number: String(500 + i), name: `E${i}`, forwarding: { onBusy: { destinations: [{ target: String(500 + ((i + 1) % 10)) }] } } }).then((x) =>
        extensionProvider.create(x),
      ),
    );
    const creds = Array.from({ length: 5 }, (_, i) =>
      checked(credentialProvider, { tenantId, name: `token${i}`, kind: "apiToken", scopes: ["events:read"] }).then((x) => credentialProvider.create(x)),
    );
    const made = await Promise.all([...agents, ...queues, ...extensions, ...creds]);
    await p.faults({});

    const stats = await p.stats();
    expect(stats.faults.dropAfterCommit + stats.faults.error503 + stats.faults.reset).toBeGreaterThan(5);
    expect(clientStats.retries).toBeGreaterThan(retriesBefore);

    const agentsNow = (await list("agents")).filter((a) => a.account.startsWith("fault"));
    expect(agentsNow).toHaveLength(12);
    expect((await list("queues")).filter((q) => q.name.startsWith("Fault queue"))).toHaveLength(8);
    const exts = (await list("extensions")).filter((e) => Number(e.number) >= 500 && Number(e.number) < 510);
    expect(exts).toHaveLength(10);
    for (const e of exts) expect(e.appliedRevision).toBe(e.revision); // all live
    expect((await list("integrations")).filter((c) => c.name.startsWith("token"))).toHaveLength(5);
    // Each create returned the object that exists, with its generated secret even when the response was replayed.
    const ids = new Set(made.map((m) => m.id));
    expect(ids.size).toBe(35);
    for (const m of made.slice(30)) expect(m.outs.token).toEqual(expect.any(String));
  });

  test("429 with Retry-After is honoured and the create still happens once", async () => {
    const before = (await p.stats()).faults.error429;
    // With this seed the first two POSTs draw a 429 (Retry-After: 1) and the third goes through.
    await p.faults({ error429: 0.5, methods: ["POST"], seed: 7 });
    const { id } = await queueProvider.create(await checked(queueProvider, { tenantId, name: "Rate limited" }));
    await p.faults({});
    expect((await p.stats()).faults.error429 - before).toBe(2);
    // The wait was the platform's Retry-After (1 s), not the provider's own backoff (at most 100 ms here).
    expect(clientStats.lastRetryDelayMs).toBe(1_000);
    expect((await list("queues")).filter((q) => q.name === "Rate limited").map((q) => q.queueId)).toEqual([id]);
  });

  test("a create re-run after a killed run (same resource, same inputs) is recovered, not duplicated", async () => {
    const inputs = await checked(agentProvider, { tenantId, account: "crashy", password: "password-123", firstName: "C", alias: "C", email: "c@example.com" }, "Agent/crashy");
    const first = await agentProvider.create(inputs);
    // The run died before Pulumi saved the state: the next run creates the same resource again.
    const again = await agentProvider.create({ ...inputs });
    expect(again.id).toBe(first.id);
    expect((await list("agents")).filter((a) => a.account === "crashy")).toHaveLength(1);
  });

  test("updates and deletes converge under faults", async () => {
    const inputs = await Promise.all(Array.from({ length: 6 }, (_, i) => checked(extensionProvider, { tenantId, number: String(600 + i), name: `U${i}` })));
    const made = await Promise.all(inputs.map((x) => extensionProvider.create(x)));
    await p.faults({ error503: 0.2, reset: 0.1, dropAfterCommit: 0.4, seed: 11 });
    const updated = await Promise.all(made.map((m, i) => extensionProvider.update(m.id, m.outs, { ...inputs[i], name: `Renamed ${i}`, voicemail: true })));
    for (const u of updated) expect(u.outs.appliedRevision).toBe(u.outs.revision);
    await Promise.all(made.map((m, i) => extensionProvider.delete(m.id, updated[i].outs)));
    await p.faults({});
    expect((await list("extensions")).filter((e) => Number(e.number) >= 600 && Number(e.number) < 610)).toEqual([]);
  });

  // The PATCH commits and its response is lost; the retry then meets a moved revision (412). Nothing
  // visible tells whether a password-only PATCH landed, so the provider must not call it drift.
  test("an update of write-only fields only (agent password, credential secrets) survives lost responses", async () => {
    const agentInputs = await Promise.all(
      Array.from({ length: 4 }, () => checked(agentProvider, { tenantId, account: unique("pw"), password: "first-password", firstName: "P", alias: "P", email: "p@example.com" })),
    );
    const agents = await Promise.all(agentInputs.map((x) => agentProvider.create(x)));
    const credInputs = await Promise.all(
      Array.from({ length: 4 }, () => checked(credentialProvider, { tenantId, name: unique("zoho-"), kind: "zoho", secrets: { apiKey: "first-key" } })),
    );
    const creds = await Promise.all(credInputs.map((x) => credentialProvider.create(x)));
    const dropsBefore = (await p.stats()).faults.dropAfterCommit;
    await p.faults({ dropAfterCommit: 0.5, methods: ["PATCH"], seed: 3 });
    const updatedAgents = await Promise.all(agents.map((a, i) => agentProvider.update(a.id, a.outs, { ...agentInputs[i], password: `second-password-${i}` })));
    const updatedCreds = await Promise.all(creds.map((c, i) => credentialProvider.update(c.id, c.outs, { ...credInputs[i], secrets: { apiKey: `second-key-${i}` } })));
    await p.faults({});
    // The faults really hit these PATCHes (with this seed, three of the first four PATCHes).
    expect((await p.stats()).faults.dropAfterCommit - dropsBefore).toBeGreaterThanOrEqual(2);
    for (const [i, a] of agents.entries()) {
      expect(updatedAgents[i].outs.password).toBe(`second-password-${i}`);
      expect(await agentPasswordIs(p.dataFile, a.id, `second-password-${i}`)).toBe(true);
    }
    for (const [i, c] of creds.entries()) {
      expect(updatedCreds[i].outs.secrets).toEqual({ apiKey: `second-key-${i}` });
      expect(credentialSecrets(p.dataFile, c.id)).toEqual({ apiKey: `second-key-${i}` });
    }
  });

  test("a tenant's admin password (a write-only key of a nested field) updated alone survives lost responses", async () => {
    const inputs = await checked(tenantProvider, tenantArgs());
    const { id, outs } = await tenantProvider.create(inputs);
    const dropsBefore = (await p.stats()).faults.dropAfterCommit;
    // With this seed the first PATCH is dropped after its commit.
    await p.faults({ dropAfterCommit: 0.5, methods: ["PATCH"], seed: 7 });
    const news = { ...inputs, admin: { ...inputs.admin, password: "rotated-admin-password" } };
    const { outs: after } = await tenantProvider.update(id, outs, news);
    await p.faults({});
    expect((await p.stats()).faults.dropAfterCommit - dropsBefore).toBeGreaterThanOrEqual(1);
    expect(after.admin.password).toBe("rotated-admin-password");
    expect(await tenantAdminPasswordIs(p.dataFile, id, "rotated-admin-password")).toBe(true);
  });

  test("a password-only update still reports a visible change made outside Pulumi as drift", async () => {
    const inputs = await checked(agentProvider, { tenantId, account: unique("drift"), password: "first-password", firstName: "D", alias: "D", email: "d@example.com" });
    const { id, outs } = await agentProvider.create(inputs);
    expect((await p.raw("PATCH", `/v1/tenants/${tenantId}/agents/${id}`, { alias: "Changed elsewhere" })).status).toBe(200);
    const err = await agentProvider.update(id, outs, { ...inputs, password: "second-password" }).then(
      () => new Error("update resolved"),
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ status: 412, type: "precondition-failed" });
    expect((err as Error).message).toContain("changed outside Pulumi");
    expect(await agentPasswordIs(p.dataFile, id, "first-password")).toBe(true);
  });

  test("adopt's PATCH is retried after a 503 (its If-Match makes the retry safe)", async () => {
    const account = unique("adopt");
    const made = await p.raw("POST", `/v1/tenants/${tenantId}/agents`, { account, password: "made-elsewhere", firstName: "Old", alias: "Old", email: "old@example.com" });
    expect(made.status).toBe(201);
    const before = (await p.stats()).faults.error503;
    // With this seed the first two PATCHes draw a 503 and the third goes through.
    await p.faults({ error503: 0.5, methods: ["PATCH"], seed: 7 });
    const inputs = await checked(agentProvider, { tenantId, account, password: "adopted-password", firstName: "New", alias: "New", email: "new@example.com", adopt: true });
    const { id, outs } = await agentProvider.create(inputs);
    await p.faults({});
    expect((await p.stats()).faults.error503 - before).toBe(2);
    expect(id).toBe(made.body.agentId);
    expect(outs).toMatchObject({ firstName: "New", alias: "New", email: "new@example.com" });
    expect(await agentPasswordIs(p.dataFile, id, "adopted-password")).toBe(true);
  });
});

