import { agentProvider } from "../../provider/agent";
import { tenantProvider } from "../../provider/tenant";
import { checked, lifecycleTests, startProviderPlatform, tenantArgs, unique, type TestPlatform } from "./helpers";

let p: TestPlatform;
let tenant: Record<string, any>;
beforeAll(async () => {
  p = await startProviderPlatform();
  tenant = (await tenantProvider.create(await checked(tenantProvider, tenantArgs()))).outs;
});
afterAll(async () => p.close());

const agent = () =>
  checked(agentProvider, {
    tenantId: tenant.tenantId,
    account: unique("alice"),
    password: "s3cret-pass-word",
    firstName: "Alice",
    alias: "Ali",
    email: "alice@example.com",
    phone: "+33612345678",
  });

describe("Agent provider over HTTP", () => {
  lifecycleTests({
    p: () => p,
    provider: agentProvider,
    idField: "agentId",
    inputs: agent,
    inPlace: (i) => ({ ...i, roles: ["agent", "supervisor"], skills: ["Spanish"], password: "a-new-password" }),
    expectInPlace: (o) => {
      expect(o.roles).toEqual(["agent", "supervisor"]);
      expect(o.skills).toEqual(["Spanish"]);
      expect(o.password).toBe("a-new-password");
    },
    replace: (i) => ({ ...i, account: unique("bob") }),
    replaces: ["account"],
    outOfBand: { alias: "Changed elsewhere" },
    driftField: "alias",
  });

  test("without queueIds the agent joins the default queue, and diff leaves that alone", async () => {
    const inputs = await agent();
    const { id, outs } = await agentProvider.create(inputs);
    expect(outs.queueIds).toEqual([tenant.defaultQueueId]);
    expect(outs.roles).toEqual(["agent"]);
    expect(await agentProvider.diff(id, outs, inputs)).toMatchObject({ changes: false });
  });

  test("removing an optional field clears it on the platform", async () => {
    const inputs = await agent();
    const { id, outs } = await agentProvider.create(inputs);
    const { phone: _phone, ...news } = inputs;
    const { outs: after } = await agentProvider.update(id, outs, news);
    expect(after.phone).toBeUndefined();
    expect(await agentProvider.diff(id, after, news)).toMatchObject({ changes: false });
  });

  test("the password never appears in an error message", async () => {
    const inputs = await agent();
    const { id, outs } = await agentProvider.create(inputs);
    await p.raw("PATCH", `/v1/tenants/${tenant.tenantId}/agents/${id}`, { alias: "x" });
    const err = await agentProvider.update(id, outs, { ...inputs, password: "brand-new-secret" }).then(
      () => new Error("the update resolved; it must fail on the out-of-band change"),
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ status: 412, type: "precondition-failed" });
    const message = (err as Error).message;
    expect(message).toContain("changed outside Pulumi");
    expect(message).not.toContain("brand-new-secret");
    expect(message).not.toContain("s3cret-pass-word");
  });

  test("changing the account replaces, and the natural key does not collide", async () => {
    const inputs = await agent();
    const { id, outs } = await agentProvider.create(inputs);
    const r = await agentProvider.diff(id, outs, { ...inputs, account: unique("carol") });
    expect(r).toMatchObject({ replaces: ["account"], deleteBeforeReplace: false });
  });
});
