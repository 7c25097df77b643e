import { userGroupProvider } from "../../provider/user-group";
import { extensionProvider } from "../../provider/extension";
import { queueProvider } from "../../provider/queue";
import { tenantProvider } from "../../provider/tenant";
import { checked, lifecycleTests, startProviderPlatform, tenantArgs, unique, type TestPlatform } from "./helpers";

let p: TestPlatform;
let tenant: Record<string, any>;
let ext1: string;
let ext2: string;
let queueId: string;
beforeAll(async () => {
  p = await startProviderPlatform();
  tenant = (await tenantProvider.create(await checked(tenantProvider, tenantArgs()))).outs;
  ext1 = (await extensionProvider.create(await checked(extensionProvider, { tenantId: tenant.tenantId, number: "201", name: "A" }))).id;
  ext2 = (await extensionProvider.create(await checked(extensionProvider, { tenantId: tenant.tenantId, number: "202", name: "B" }))).id;
  queueId = (await queueProvider.create(await checked(queueProvider, { tenantId: tenant.tenantId, name: "Support" }))).id;
});
afterAll(async () => p.close());

const group = () => checked(userGroupProvider, { tenantId: tenant.tenantId, name: unique("Team "), memberIds: [ext1], queueId });

describe("UserGroup provider over HTTP", () => {
  lifecycleTests({
    p: () => p,
    provider: userGroupProvider,
    idField: "userGroupId",
    staged: true,
    inputs: group,
    inPlace: (i) => ({ ...i, name: i.name + " renamed", memberIds: [ext1, ext2] }),
    expectInPlace: (o) => expect(o.memberIds).toEqual([ext1, ext2]),
    replace: (i) => ({ ...i, tenantId: "ten_anothertenant" }),
    replaces: ["tenantId"],
    outOfBand: () => ({ memberIds: [ext2] }),
    driftField: "memberIds",
  });

  test("removing the queue clears it", async () => {
    const inputs = await group();
    const { id, outs } = await userGroupProvider.create(inputs);
    const { queueId: _q, ...news } = inputs;
    const { outs: after } = await userGroupProvider.update(id, outs, news);
    expect(after.queueId).toBeUndefined();
    expect(await userGroupProvider.diff(id, after, news)).toMatchObject({ changes: false });
  });
});
