/**
 * A staged change saved but never applied (an interrupted run, or a target that did not exist yet)
 * is finished by the next deployment even though the inputs did not change.
 */
import { extensionProvider } from "../../provider/extension";
import { tenantProvider } from "../../provider/tenant";
import { checked, startProviderPlatform, tenantArgs, type TestPlatform } from "./helpers";

let p: TestPlatform;
let tenantId: string;
beforeAll(async () => {
  p = await startProviderPlatform({ applyWaitMs: 200 });
  tenantId = (await tenantProvider.create(await checked(tenantProvider, tenantArgs()))).id;
});
afterAll(async () => p.close());

test("equal inputs but an unapplied change: diff says update, and the update applies it", async () => {
  const inputs = await checked(extensionProvider, { tenantId, number: "700", name: "Waits", forwarding: { onBusy: { destinations: [{ target: "701" }] } } });
  // The target does not exist yet: the object is saved, its change rejected; Pulumi records it with these outputs.
  const failed = (await extensionProvider.create(inputs).then(
    () => null,
    (e: unknown) => e,
  )) as { id: string; properties: Record<string, any> } | null;
  expect(failed).toMatchObject({ id: expect.stringMatching(/^ext_/), properties: { revision: expect.any(Number) } });
  const { id, properties: state } = failed!;
  expect(state.appliedRevision ?? null).not.toBe(state.revision);
  expect((await p.raw("GET", `/v1/tenants/${tenantId}/changes`)).body.items.map((c: { objectId: string }) => c.objectId)).toEqual([id]);

  await extensionProvider.create(await checked(extensionProvider, { tenantId, number: "701", name: "Target" }));
  expect(await extensionProvider.diff(id, state, inputs)).toMatchObject({ changes: true, replaces: [] });
  const { outs } = await extensionProvider.update(id, state, inputs);
  expect(outs.appliedRevision).toBe(outs.revision);
  expect((await p.raw("GET", `/v1/tenants/${tenantId}/extensions/${id}`)).body).toMatchObject({ appliedRevision: outs.revision });
  expect(await extensionProvider.diff(id, outs, inputs)).toMatchObject({ changes: false });
});
