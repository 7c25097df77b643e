/**
 * A staged change the platform will not apply is withdrawn, so the failed deployment leaves nothing
 * pending and correcting the program is enough. A change that could not be withdrawn (or one left by
 * an interrupted run) stays pending, and the next deployment finishes it even though the inputs did
 * not change.
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
afterEach(async () => p.faults({}));
afterAll(async () => p.close());

const fwd = (target: string) => ({ onBusy: { destinations: [{ target }] } });
const pending = async () => (await p.raw("GET", `/v1/tenants/${tenantId}/changes`)).body.items.map((c: { objectId: string }) => c.objectId);
const failure = <T>(promise: Promise<T>) =>
  promise.then(
    () => null,
    (e: unknown) => e as Error & { id?: string; properties?: Record<string, any> },
  );

test("equal inputs but an unapplied change (not withdrawn): diff says update, and the update applies it", async () => {
  const inputs = await checked(extensionProvider, { tenantId, number: "700", name: "Waits", forwarding: fwd("701") });
  // The target does not exist yet and the withdrawal fails: the object is saved, its change pending; Pulumi records it with these outputs.
  await p.faults({ error503: 1, methods: ["DELETE"] });
  const failed = await failure(extensionProvider.create(inputs));
  await p.faults({});
  expect(failed).toMatchObject({ id: expect.stringMatching(/^ext_/), properties: { revision: expect.any(Number) } });
  expect(failed!.message).toContain("The change stays pending on the platform (not withdrawn: withdrawing it failed");
  const { id, properties: state } = failed as { id: string; properties: Record<string, any> };
  expect(state.appliedRevision ?? null).not.toBe(state.revision);
  expect(await pending()).toEqual([id]);

  await extensionProvider.create(await checked(extensionProvider, { tenantId, number: "701", name: "Target" }));
  expect(await extensionProvider.diff(id, state, inputs)).toMatchObject({ changes: true, replaces: [] });
  const { outs } = await extensionProvider.update(id, state, inputs);
  expect(outs.appliedRevision).toBe(outs.revision);
  expect((await p.raw("GET", `/v1/tenants/${tenantId}/extensions/${id}`)).body).toMatchObject({ appliedRevision: outs.revision });
  expect(await extensionProvider.diff(id, outs, inputs)).toMatchObject({ changes: false });
});

test("a create the platform will not apply is withdrawn: no object, nothing pending, nothing recorded; the corrected create succeeds", async () => {
  const bad = await checked(extensionProvider, { tenantId, number: "710", name: "Nowhere", forwarding: fwd("799") });
  const failed = await failure(extensionProvider.create(bad));
  expect(failed).not.toBeNull();
  expect(failed!.id).toBeUndefined(); // the engine records nothing
  expect(failed!.message).toContain("forwarding.onBusy.destinations[0].target: extension 799 does not exist");
  expect(failed!.message).toContain("The platform withdrew the change: the extension is as it was before this deployment.");
  expect(await pending()).toEqual([]);
  expect((await p.raw("GET", `/v1/tenants/${tenantId}/extensions?number=710`)).body.items).toEqual([]);

  const fixed = await extensionProvider.create(await checked(extensionProvider, { tenantId, number: "710", name: "Nowhere", forwarding: fwd("+33123456789") }));
  expect(fixed.outs.appliedRevision).toBe(fixed.outs.revision);
});

test("an update the platform will not apply is withdrawn: the object is as before, and the state records its new revision", async () => {
  const before = await checked(extensionProvider, { tenantId, number: "720", name: "Desk" });
  const made = await extensionProvider.create(before);
  const bad = { ...before, name: "Desk 2", forwarding: fwd("798") };
  const failed = await failure(extensionProvider.update(made.id, made.outs, bad));
  expect(failed).toMatchObject({ id: made.id });
  expect(failed!.message).toContain("The platform withdrew the change");
  expect(await pending()).toEqual([]);
  const now = (await p.raw("GET", `/v1/tenants/${tenantId}/extensions/${made.id}`)).body;
  expect(now).toMatchObject({ name: "Desk", revision: made.outs.revision + 2, appliedRevision: made.outs.revision + 2 });
  expect(now.forwarding).toBeUndefined();
  // What the engine records (a partial failure): the object as it is now.
  const state = failed!.properties!;
  expect(state).toMatchObject({ name: "Desk", revision: now.revision, appliedRevision: now.revision });

  // Going back to the previous program: nothing to do. Correcting it: an update that applies.
  expect(await extensionProvider.diff(made.id, state, before)).toMatchObject({ changes: false });
  const corrected = { ...before, name: "Desk 2", forwarding: fwd("710") };
  expect(await extensionProvider.diff(made.id, state, corrected)).toMatchObject({ changes: true, replaces: [] });
  const { outs } = await extensionProvider.update(made.id, state, corrected);
  expect(outs).toMatchObject({ name: "Desk 2", appliedRevision: outs.revision });
  expect(await pending()).toEqual([]);
});
