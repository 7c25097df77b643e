import { queueProvider } from "../../provider/queue";
import { tenantProvider } from "../../provider/tenant";
import { checked, lifecycleTests, startProviderPlatform, tenantArgs, unique, type TestPlatform } from "./helpers";

let p: TestPlatform;
let tenant: Record<string, any>;
beforeAll(async () => {
  p = await startProviderPlatform();
  tenant = (await tenantProvider.create(await checked(tenantProvider, tenantArgs()))).outs;
});
afterAll(async () => p.close());

const queue = () => checked(queueProvider, { tenantId: tenant.tenantId, name: unique("Billing "), description: "Invoices", skills: ["Tier 1"] });

describe("Queue provider over HTTP", () => {
  lifecycleTests({
    p: () => p,
    provider: queueProvider,
    idField: "queueId",
    inputs: queue,
    // A queue renames in place: agents keep pointing at it by id.
    inPlace: (i) => ({ ...i, name: i.name + " renamed", channel: "email" }),
    expectInPlace: (o) => {
      expect(o.name).toMatch(/renamed$/);
      expect(o.channel).toBe("email");
    },
    replace: (i) => ({ ...i, tenantId: "ten_anothertenant" }),
    replaces: ["tenantId"],
    outOfBand: { description: "Edited in the portal" },
    driftField: "description",
  });

  test("check applies defaults: channel chat, no skills", async () => {
    const inputs = await checked(queueProvider, { tenantId: tenant.tenantId, name: "Returns" });
    expect(inputs).toMatchObject({ channel: "chat", skills: [] });
  });

  test("removing the description clears it", async () => {
    const inputs = await queue();
    const { id, outs } = await queueProvider.create(inputs);
    const { description: _d, ...news } = inputs;
    const { outs: after } = await queueProvider.update(id, outs, news);
    expect(after.description).toBeUndefined();
    expect(await queueProvider.diff(id, after, news)).toMatchObject({ changes: false });
  });
});
