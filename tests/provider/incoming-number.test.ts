import { incomingNumberProvider } from "../../provider/incoming-number";
import { extensionProvider } from "../../provider/extension";
import { tenantProvider } from "../../provider/tenant";
import { checked, lifecycleTests, startProviderPlatform, tenantArgs, type TestPlatform } from "./helpers";

let p: TestPlatform;
let tenant: Record<string, any>;
let n = 0;
beforeAll(async () => {
  p = await startProviderPlatform();
  tenant = (await tenantProvider.create(await checked(tenantProvider, tenantArgs()))).outs;
  await extensionProvider.create(await checked(extensionProvider, { tenantId: tenant.tenantId, number: "101", name: "Reception" }));
});
afterAll(async () => p.close());

const number = () => `+3318765${String(4000 + n++).padStart(4, "0")}`;
const incoming = () => checked(incomingNumberProvider, { tenantId: tenant.tenantId, number: number(), destination: { type: "extension", target: "101" } });

describe("IncomingNumber provider over HTTP", () => {
  lifecycleTests({
    p: () => p,
    provider: incomingNumberProvider,
    idField: "incomingNumberId",
    staged: true,
    inputs: incoming,
    inPlace: (i) => ({ ...i, destination: { type: "voicemail", target: "101" } }),
    expectInPlace: (o) => expect(o.destination).toEqual({ type: "voicemail", target: "101" }),
    replace: (i) => ({ ...i, number: number() }),
    replaces: ["number"],
    outOfBand: { destination: { type: "hangUp" } },
    driftField: "destination",
  });

  test("a destination that is not configured is the default", async () => {
    const inputs = await checked(incomingNumberProvider, { tenantId: tenant.tenantId, number: number() });
    expect(inputs.destination).toEqual({ type: "notConfigured" });
    const { outs } = await incomingNumberProvider.create(inputs);
    expect(outs.destination).toEqual({ type: "notConfigured" });
  });

  test("a destination extension that never comes fails after the wait, with the platform's path and reason, and is withdrawn", async () => {
    const { configure } = await import("../../provider/config");
    configure({ applyWaitMs: 300 }, "test");
    try {
      const inputs = await checked(incomingNumberProvider, { tenantId: tenant.tenantId, number: number(), destination: { type: "extension", target: "999" } });
      const err = await incomingNumberProvider.create(inputs).catch((e) => e);
      expect(err.message).toMatch(/destination\.target: extension 999 does not exist/);
      expect(err.message).toContain("The platform withdrew the change: the incoming number is as it was before this deployment.");
      expect(err.id).toBeUndefined(); // nothing for Pulumi to record: the object is gone
      expect((await p.raw("GET", `/v1/tenants/${tenant.tenantId}/incoming-numbers?number=${encodeURIComponent(inputs.number)}`)).body.items).toEqual([]);
      expect((await p.raw("GET", `/v1/tenants/${tenant.tenantId}/changes`)).body.items).toEqual([]);
    } finally {
      configure({ applyWaitMs: 5_000 }, "test");
    }
  });
});
