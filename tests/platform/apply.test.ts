import Database from "better-sqlite3";
import { agentBody, startTestPlatform, tenantBody, type TestPlatform } from "../support/platform";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.dispose());

const newBase = async () => `/v1/tenants/${(await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId}`;
const fwd = (target: string) => ({ onBusy: { destinations: [{ target }] } });

describe("save, then apply", () => {
  test("a create is pending until applied: saved view, effective view 404, changes list", async () => {
    const base = await newBase();
    const e = await p.api("POST", `${base}/extensions`, { number: "101", name: "A" });
    expect(e.body).toMatchObject({ revision: 1, appliedRevision: null, pendingDelete: false });
    expect((await p.api("GET", `${base}/extensions/${e.body.extensionId}?view=effective`)).status).toBe(404);
    const changes = await p.api("GET", `${base}/changes`);
    expect(changes.body.items).toEqual([{ kind: "Extension", objectId: e.body.extensionId, op: "create", revision: 1, savedAt: expect.any(String) }]);
    const applied = await p.api("POST", `${base}/changes/apply`);
    expect(applied.body).toEqual({ applied: [{ kind: "Extension", objectId: e.body.extensionId, op: "create" }], rejected: [] });
    const eff = await p.api("GET", `${base}/extensions/${e.body.extensionId}?view=effective`);
    expect(eff.body).toMatchObject({ name: "A", appliedRevision: 1 });
    expect((await p.api("GET", `${base}/changes`)).body.items).toEqual([]);
    expect((await p.api("POST", `${base}/changes/apply`)).body).toEqual({ applied: [], rejected: [] });
  });

  test("an update shows in the saved view at once, in the effective view after apply", async () => {
    const base = await newBase();
    const e = await p.api("POST", `${base}/extensions`, { number: "101", name: "Before" });
    await p.api("POST", `${base}/changes/apply`);
    const path = `${base}/extensions/${e.body.extensionId}`;
    const saved = await p.api("PATCH", path, { name: "After" });
    expect(saved.body).toMatchObject({ name: "After", revision: 2, appliedRevision: 1 });
    expect((await p.api("GET", `${path}?view=effective`)).body.name).toBe("Before");
    expect((await p.api("GET", `${base}/changes`)).body.items[0]).toMatchObject({ op: "update", revision: 2 });
    await p.api("POST", `${base}/changes/apply`);
    expect((await p.api("GET", `${path}?view=effective`)).body).toMatchObject({ name: "After", appliedRevision: 2 });
  });

  test.each([["101 first"], ["102 first"]])("two extensions forwarding to each other apply together (%s)", async (order) => {
    const base = await newBase();
    const bodies = [
      { number: "101", name: "A", forwarding: fwd("102") },
      { number: "102", name: "B", followMe: { destinations: [{ target: "101" }] } },
    ];
    if (order === "102 first") bodies.reverse();
    for (const b of bodies) expect((await p.api("POST", `${base}/extensions`, b)).status).toBe(201);
    const res = await p.api("POST", `${base}/changes/apply`);
    expect(res.body.rejected).toEqual([]);
    expect(res.body.applied).toHaveLength(2);
  });

  test("a missing target is rejected with its path and stays pending with lastError; the rest applies", async () => {
    const base = await newBase();
    const bad = await p.api("POST", `${base}/extensions`, { number: "101", name: "A", keys: [{ position: 1, action: "blf", target: "999" }] });
    const good = await p.api("POST", `${base}/extensions`, { number: "102", name: "B", forwarding: fwd("+33123456789") });
    const num = await p.api("POST", `${base}/incoming-numbers`, { number: "+33100000000", destination: { type: "extension", target: "998" } });
    // Depends on the rejected 101: rejected too, although 101 was saved.
    const dependent = await p.api("POST", `${base}/extensions`, { number: "103", name: "C", forwarding: fwd("101") });
    const res = await p.api("POST", `${base}/changes/apply`);
    expect(res.body.applied).toEqual([{ kind: "Extension", objectId: good.body.extensionId, op: "create" }]);
    expect(res.body.rejected).toEqual(
      expect.arrayContaining([
        { kind: "Extension", objectId: bad.body.extensionId, op: "create", errors: [expect.objectContaining({ path: "keys.0.target" })] },
        { kind: "IncomingNumber", objectId: num.body.incomingNumberId, op: "create", errors: [expect.objectContaining({ path: "destination.target" })] },
        { kind: "Extension", objectId: dependent.body.extensionId, op: "create", errors: [expect.objectContaining({ path: "forwarding.onBusy.destinations.0.target" })] },
      ]),
    );
    const changes = (await p.api("GET", `${base}/changes`)).body.items;
    expect(changes).toHaveLength(3);
    expect(changes.every((c: { lastError?: { errors: unknown[] } }) => c.lastError && c.lastError.errors.length === 1)).toBe(true);
    // Fix the key: everything applies, including the dependent one.
    await p.api("PATCH", `${base}/extensions/${bad.body.extensionId}`, { keys: [{ position: 1, action: "blf", target: "102" }] });
    await p.api("POST", `${base}/extensions`, { number: "998", name: "D" });
    const again = await p.api("POST", `${base}/changes/apply`);
    expect(again.body.rejected).toEqual([]);
    expect((await p.api("GET", `${base}/changes`)).body.items).toEqual([]);
  });

  test("a staged delete: pendingDelete until applied, then 404; deleting a targeted extension is allowed", async () => {
    const base = await newBase();
    const a = await p.api("POST", `${base}/extensions`, { number: "101", name: "A" });
    const b = await p.api("POST", `${base}/extensions`, { number: "102", name: "B", forwarding: fwd("101") });
    await p.api("POST", `${base}/changes/apply`);
    const path = `${base}/extensions/${a.body.extensionId}`;
    expect((await p.api("DELETE", path)).status).toBe(204);
    expect((await p.api("GET", path)).body).toMatchObject({ pendingDelete: true });
    expect((await p.api("GET", `${base}/changes`)).body.items).toEqual([expect.objectContaining({ op: "delete", objectId: a.body.extensionId })]);
    expect((await p.api("PATCH", path, { name: "x" })).status).toBe(409);
    const res = await p.api("POST", `${base}/changes/apply`);
    expect(res.body.applied).toEqual([{ kind: "Extension", objectId: a.body.extensionId, op: "delete" }]);
    expect((await p.api("GET", path)).status).toBe(404);
    expect((await p.api("GET", `${base}/extensions/${b.body.extensionId}`)).status).toBe(200);
    // A change now needing 101 is rejected: it no longer exists.
    await p.api("PATCH", `${base}/extensions/${b.body.extensionId}`, { name: "B2" });
    expect((await p.api("POST", `${base}/changes/apply`)).body.rejected).toHaveLength(1);
  });

  test("an update that removes a target and the target's delete apply together", async () => {
    const base = await newBase();
    const a = await p.api("POST", `${base}/extensions`, { number: "101", name: "A" });
    const b = await p.api("POST", `${base}/extensions`, { number: "102", name: "B", forwarding: fwd("101") });
    await p.api("POST", `${base}/changes/apply`);
    await p.api("PATCH", `${base}/extensions/${b.body.extensionId}`, { forwarding: null });
    await p.api("DELETE", `${base}/extensions/${a.body.extensionId}`);
    expect((await p.api("POST", `${base}/changes/apply`)).body).toMatchObject({ rejected: [] });
  });

  test("user groups apply with their member extensions", async () => {
    const base = await newBase();
    const e = await p.api("POST", `${base}/extensions`, { number: "101", name: "A" });
    const g = await p.api("POST", `${base}/user-groups`, { name: "Sales", memberIds: [e.body.extensionId] });
    expect(g.body).toMatchObject({ appliedRevision: null, memberIds: [e.body.extensionId] });
    const res = await p.api("POST", `${base}/changes/apply`);
    expect(res.body.applied).toHaveLength(2);
    expect((await p.api("DELETE", `${base}/extensions/${e.body.extensionId}`)).status).toBe(409); // still a member
  });
});

describe("withdrawing a pending change", () => {
  const secretsOf = (id: string) => {
    const db = new Database(p.dataFile, { readonly: true });
    try {
      return (db.prepare("SELECT secrets FROM objects WHERE id = ?").get(id) as { secrets: string } | undefined)?.secrets;
    } finally {
      db.close();
    }
  };

  test("a create never applied: the object is removed, its idempotency key released, nothing pending", async () => {
    const base = await newBase();
    const body = { number: "101", name: "A", forwarding: fwd("999") };
    const key = { "idempotency-key": `k-${Date.now()}` };
    const e = await p.api("POST", `${base}/extensions`, body, key);
    expect((await p.api("POST", `${base}/changes/apply`)).body.rejected).toHaveLength(1);
    const res = await p.api("DELETE", `${base}/changes/${e.body.extensionId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: "Extension", objectId: e.body.extensionId, op: "create", revision: null });
    expect((await p.api("GET", `${base}/extensions/${e.body.extensionId}`)).status).toBe(404);
    expect((await p.api("GET", `${base}/changes`)).body.items).toEqual([]);
    // The same create again is a new object, not a replay of the withdrawn one.
    const again = await p.api("POST", `${base}/extensions`, body, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    expect(again.body.extensionId).not.toBe(e.body.extensionId);
  });

  test("an update: the applied configuration and secrets come back under a new revision; the effective view never moved", async () => {
    const base = await newBase();
    const e = await p.api("POST", `${base}/extensions`, { number: "101", name: "Before", portal: { username: "desk", password: "first-password" } });
    await p.api("POST", `${base}/changes/apply`);
    const path = `${base}/extensions/${e.body.extensionId}`;
    const appliedSecrets = secretsOf(e.body.extensionId);
    const saved = await p.api("PATCH", path, { name: "After", forwarding: fwd("999"), portal: { username: "desk", password: "second-password" } });
    expect(saved.body).toMatchObject({ revision: 2, appliedRevision: 1 });
    expect(secretsOf(e.body.extensionId)).not.toBe(appliedSecrets);
    expect((await p.api("POST", `${base}/changes/apply`)).body.rejected).toHaveLength(1);

    const res = await p.api("DELETE", `${base}/changes/${e.body.extensionId}`, undefined, { "if-match": '"2"' });
    expect(res.body).toEqual({ kind: "Extension", objectId: e.body.extensionId, op: "update", revision: 3 });
    const now = await p.api("GET", path);
    expect(now.headers.get("etag")).toBe('"3"');
    expect(now.body).toMatchObject({ name: "Before", revision: 3, appliedRevision: 3, pendingDelete: false });
    expect(now.body.forwarding).toBeUndefined();
    expect(secretsOf(e.body.extensionId)).toBe(appliedSecrets);
    expect((await p.api("GET", `${path}?view=effective`)).body.name).toBe("Before");
    expect((await p.api("GET", `${base}/changes`)).body.items).toEqual([]);
    expect((await p.api("POST", `${base}/changes/apply`)).body).toEqual({ applied: [], rejected: [] });
  });

  test("a pending deletion: the object stays, live as it was", async () => {
    const base = await newBase();
    const e = await p.api("POST", `${base}/extensions`, { number: "101", name: "Stays" });
    await p.api("POST", `${base}/changes/apply`);
    await p.api("DELETE", `${base}/extensions/${e.body.extensionId}`);
    const res = await p.api("DELETE", `${base}/changes/${e.body.extensionId}`);
    expect(res.body).toMatchObject({ op: "delete", revision: 3 });
    expect((await p.api("GET", `${base}/extensions/${e.body.extensionId}`)).body).toMatchObject({ name: "Stays", pendingDelete: false, appliedRevision: 3 });
    expect((await p.api("POST", `${base}/changes/apply`)).body).toEqual({ applied: [], rejected: [] });
  });

  test("If-Match withdraws only the change it names; no pending change is 404, so a repeat is harmless", async () => {
    const base = await newBase();
    const e = await p.api("POST", `${base}/extensions`, { number: "101", name: "A" });
    const url = `${base}/changes/${e.body.extensionId}`;
    await p.api("PATCH", `${base}/extensions/${e.body.extensionId}`, { name: "B" }); // revision 2, someone else's
    const stale = await p.api("DELETE", url, undefined, { "if-match": '"1"' });
    expect({ status: stale.status, type: stale.body.type, errors: stale.body.errors }).toEqual({
      status: 412,
      type: "https://omnitenant.dev/problems/precondition-failed",
      errors: [{ path: "If-Match", message: 'current ETag is "2"' }],
    });
    expect((await p.api("GET", `${base}/extensions/${e.body.extensionId}`)).body.name).toBe("B");
    expect((await p.api("DELETE", url, undefined, { "if-match": '"2"' })).status).toBe(200);
    const again = await p.api("DELETE", url);
    expect({ status: again.status, type: again.body.type }).toEqual({ status: 404, type: "https://omnitenant.dev/problems/not-found" });
    // An object of a kind that is never staged has no pending change either.
    const agent = await p.api("POST", `${base}/agents`, agentBody("w.agent"));
    expect((await p.api("DELETE", `${base}/changes/${agent.body.agentId}`)).status).toBe(404);
  });

  test("refused when it would take a natural key another object has now, or remove a member of a group", async () => {
    const base = await newBase();
    const g = await p.api("POST", `${base}/user-groups`, { name: "Sales" });
    await p.api("POST", `${base}/changes/apply`);
    await p.api("PATCH", `${base}/user-groups/${g.body.userGroupId}`, { name: "Support" });
    const other = await p.api("POST", `${base}/user-groups`, { name: "Sales" });
    const clash = await p.api("DELETE", `${base}/changes/${g.body.userGroupId}`);
    expect({ status: clash.status, type: clash.body.type, errors: clash.body.errors }).toEqual({
      status: 409,
      type: "https://omnitenant.dev/problems/conflict",
      errors: [{ path: "name", message: `already used by ${other.body.userGroupId}` }],
    });
    expect((await p.api("GET", `${base}/user-groups/${g.body.userGroupId}`)).body.name).toBe("Support");

    const e = await p.api("POST", `${base}/extensions`, { number: "102", name: "New" });
    const group = await p.api("POST", `${base}/user-groups`, { name: "Desk", memberIds: [e.body.extensionId] });
    const inUse = await p.api("DELETE", `${base}/changes/${e.body.extensionId}`);
    expect({ status: inUse.status, type: inUse.body.type, detail: inUse.body.detail }).toEqual({
      status: 409,
      type: "https://omnitenant.dev/problems/in-use",
      detail: expect.stringContaining(group.body.userGroupId),
    });
    expect((await p.api("GET", `${base}/extensions/${e.body.extensionId}`)).status).toBe(200);
  });
});
