/**
 * checkCustomer in isolation (on purpose: the state and the list pages are given, no engine, no
 * platform): when the stack's secrets are opened, and what counts as unmanaged. The agreement with
 * refresh itself is tests/drift/refresh-agreement.test.ts.
 */
import { checkCustomer } from "../../automation/drift";
import { sealed, type ManagedResource, type StackState } from "../../automation/drift-state";
import type { ListPage } from "../../automation/drift-platform";

type Obj = Record<string, any>;

const tenantObject = (over: Obj = {}): Obj => ({
  tenantId: "ten_aaaaaaaa",
  companyName: "Acme",
  organizationSize: "1-10",
  country: "US",
  fqdn: "acme.pbx.example.com",
  timeZone: "UTC",
  language: "en",
  admin: { username: "admin", firstName: "Ada", email: "ada@example.com" },
  capabilities: { maxAgents: 4, diskQuotaGb: 1, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 1, maxExtensions: 2 },
  deletionProtection: false,
  instanceNumber: 2,
  portalUrl: "https://acme.pbx.example.com/portal",
  defaultQueueId: "que_default1",
  usage: { agents: 1, extensions: 0, channelAccounts: 0 },
  revision: 1,
  ...over,
});
const agentObject = (over: Obj = {}): Obj => ({
  agentId: "agt_annannan",
  tenantId: "ten_aaaaaaaa",
  account: "ann",
  firstName: "Ann",
  alias: "Ann",
  email: "ann@example.com",
  queueIds: ["que_default1"],
  roles: ["agent"],
  skills: [],
  revision: 1,
  ...over,
});

/** State as an export without --show-secrets leaves it: the SDK's secret fields sealed whole. */
function stackState(open: () => Promise<StackState>): StackState {
  const { usage: _u, ...tenantOutputs } = tenantObject();
  const tenantInputs = { ...tenantOutputs };
  for (const k of ["tenantId", "instanceNumber", "portalUrl", "defaultQueueId", "revision"]) delete tenantInputs[k];
  const agent = agentObject();
  const agentInputs: Record<string, unknown> = { ...agent, password: sealed };
  delete agentInputs.agentId;
  delete agentInputs.revision;
  const resources: ManagedResource[] = [
    { kind: "Tenant", name: "acme", urn: "urn:t", id: "ten_aaaaaaaa", inputs: { ...tenantInputs, admin: sealed }, outputs: { ...tenantOutputs, admin: sealed } },
    { kind: "Agent", name: "agent-ann", urn: "urn:a", id: "agt_annannan", inputs: agentInputs, outputs: { ...agent, password: sealed } },
  ];
  return { name: "acme", resources, pendingOperations: [], decrypted: open };
}

function pages(tenant: Obj, agents: Obj[], queues: Obj[] = [{ queueId: "que_default1", name: "Default", revision: 1 }]): { listPage: ListPage; tenants: Map<string, Obj> } {
  const byPath: Record<string, Obj[]> = { agents, queues };
  const listPage: ListPage = async (p) => ({ items: byPath[p.split("/").pop()!] ?? [], nextCursor: null });
  return { listPage, tenants: new Map([[tenant.tenantId, tenant]]) };
}

describe("checkCustomer", () => {
  it("a run killed without checkpoints (its lock left, nothing pending) is an interrupted run: drifted", async () => {
    const { listPage, tenants } = pages(tenantObject(), [agentObject()]);
    const abandonedLock = { pid: 4242, hostname: "this-host", timestamp: "2026-12-04T20:00:00Z" };
    const r = await checkCustomer("acme", { ...stackState(jest.fn()), abandonedLock }, tenants, listPage);
    expect(r).toMatchObject({ state: "drifted", lastRunProblem: "interrupted", pendingOperations: [], abandonedLock });
  });

  it("keeps secrets sealed when nothing moved, and reports nothing", async () => {
    const open = jest.fn();
    const { listPage, tenants } = pages(tenantObject(), [agentObject()]);
    const r = await checkCustomer("acme", stackState(open), tenants, listPage);
    expect(r).toMatchObject({ state: "in-sync", changed: [], deleted: [], unmanaged: [], revisionMoved: [] });
    expect(open).not.toHaveBeenCalled();
  });

  it("a password set by hand: the revision moved, nothing compared differs, no secret opened", async () => {
    const open = jest.fn();
    const { listPage, tenants } = pages(tenantObject(), [agentObject({ revision: 2 })]);
    const r = await checkCustomer("acme", stackState(open), tenants, listPage);
    expect(r.state).toBe("in-sync");
    expect(r.revisionMoved).toEqual([{ kind: "Agent", name: "agent-ann", id: "agt_annannan" }]);
    expect(open).not.toHaveBeenCalled();
  });

  it("a visible field changed by hand is reported without opening secrets", async () => {
    const open = jest.fn();
    const { listPage, tenants } = pages(tenantObject(), [agentObject({ alias: "Annie", revision: 2 })]);
    const r = await checkCustomer("acme", stackState(open), tenants, listPage);
    expect(r.changed).toEqual([{ kind: "Agent", name: "agent-ann", id: "agt_annannan", fields: [{ field: "alias", declared: "Ann", actual: "Annie" }] }]);
    expect(open).not.toHaveBeenCalled();
  });

  it("a moved object whose differing field holds a sealed secret opens the stack's secrets, once", async () => {
    const openState: StackState = stackState(async () => openState);
    for (const r of openState.resources) {
      if (r.kind === "Tenant") {
        r.inputs.admin = { username: "admin", firstName: "Ada", email: "ada@example.com", password: "pw" };
        r.outputs.admin = { ...r.inputs.admin };
      }
    }
    const open = jest.fn(async () => openState);
    const { listPage, tenants } = pages(tenantObject({ admin: { username: "admin", firstName: "Ada", email: "new@example.com" }, revision: 2 }), [agentObject()]);
    const r = await checkCustomer("acme", stackState(open), tenants, listPage);
    expect(open).toHaveBeenCalledTimes(1);
    expect(r.changed).toHaveLength(1);
    const [admin] = r.changed[0].fields;
    expect(admin.field).toBe("admin");
    // The password is left out of what is printed.
    expect(admin.declared).toEqual({ username: "admin", firstName: "Ada", email: "ada@example.com" });
    expect(admin.actual).toEqual({ username: "admin", firstName: "Ada", email: "new@example.com" });
  });

  it("unmanaged: objects of the tenant no resource manages, the default queue excepted; deleted: what the platform lost", async () => {
    const { listPage, tenants } = pages(tenantObject(), [agentObject({ agentId: "agt_zedzedze", account: "zed" })], [
      { queueId: "que_default1", name: "Default", revision: 1 },
      { queueId: "que_handmade", name: "Hand made", revision: 1 },
    ]);
    const r = await checkCustomer("acme", stackState(jest.fn()), tenants, listPage);
    expect(r.deleted).toEqual([{ kind: "Agent", name: "agent-ann", id: "agt_annannan" }]);
    expect(r.unmanaged.map((o) => o.key).sort()).toEqual(["Hand made", "zed"]);
    expect(r.state).toBe("drifted");
  });
});
