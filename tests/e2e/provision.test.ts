/**
 * Reseller provisioning end to end: ten customers from a catalogue, each its own stack, through the
 * real Pulumi CLI and both policy packs, against a real local platform. Every step checks the
 * platform's state and its request counters, not only what provision() returns.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { parseCatalogue } from "../../automation/catalogue";
import { provision, type ProvisionOptions, type ProvisionReport } from "../../automation/provision";
import { summaryTable } from "../../automation/provision-display";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { testStacksDir } from "../support/engine";

const ids = Array.from({ length: 10 }, (_, i) => `cust-${String(i + 1).padStart(2, "0")}`);
const domain = `p${randomBytes(3).toString("hex")}.pbx.example.com`;
const fqdnOf = (id: string) => `${id}.${domain}`;

const reseller = {
  name: "E2E Reseller",
  domain,
  defaults: { country: "US", timeZone: "America/New_York", language: "en-US", organizationSize: "1-10", adminEmailDomain: "ops.example.com" },
  plans: { small: { maxAgents: 3, diskQuotaGb: 5, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 10, maxExtensions: 3 } },
};

type Customer = Record<string, any>;

/** A small customer: a tenant, a queue, one or two agents, one extension. */
function customer(id: string, i: number): Customer {
  const agents = [{ account: "ann", firstName: "Ann", alias: "Ann", email: `ann@${id}.example.com`, queues: ["Support"] }];
  if (i % 2 === 0) agents.push({ account: "bob", firstName: "Bob", alias: "Bob", email: `bob@${id}.example.com`, queues: ["Support"] });
  return {
    id,
    plan: "small",
    tenant: { companyName: `Customer ${i + 1}` },
    deletionProtection: id === "cust-10",
    queues: [{ name: "Support", channel: "chat" }],
    agents,
    extensions: [{ number: "101", name: "Ann", agent: "ann", voicemail: true }],
  };
}

describe("omnitenant provision: a reseller catalogue through the real engine", () => {
  let platform: TestPlatform;
  let workDir: string;
  let customers: Customer[];

  /** Updates the file backend has recorded (one history file per engine run of a stack). */
  const updatesRecorded = () =>
    (fs.readdirSync(path.join(workDir, "state"), { recursive: true }) as string[]).filter((f) => f.endsWith(".history.json")).length;

  const run = async (extra: Partial<ProvisionOptions> = {}): Promise<ProvisionReport> => {
    const report = await provision(parseCatalogue({ reseller, customers }), {
      endpoint: platform.url,
      token: platform.operatorToken,
      workDir,
      // Explicit, so that a PULUMI_BACKEND_URL in the environment does not move the stacks.
      backendUrl: `file://${path.join(workDir, "state")}`,
      concurrency: 4,
      ...extra,
    });
    // Shown when an expectation fails: what the reseller would have read.
    process.stdout.write(`${summaryTable(report)}\n`);
    return report;
  };
  const stateOf = (report: ProvisionReport) => Object.fromEntries(report.customers.map((c) => [c.id, c.state]));
  const stats = async () => (await platform.api("GET", "/v1/admin/stats")).body as { requests: { byMethod: Record<string, number> }; writes: number };
  const writeRequests = (s: Awaited<ReturnType<typeof stats>>) => s.requests.byMethod.POST + s.requests.byMethod.PATCH + s.requests.byMethod.DELETE;
  const tenant = async (id: string) => (await platform.api("GET", `/v1/tenants?fqdn=${fqdnOf(id)}`)).body.items[0] as Record<string, any> | undefined;
  const list = async (tenantId: string, collection: string) => (await platform.api("GET", `/v1/tenants/${tenantId}/${collection}?limit=100`)).body.items as Array<Record<string, any>>;
  const stacks = () => (fs.existsSync(path.join(workDir, "state", ".pulumi", "stacks", "omnitenant-reseller")) ? fs.readdirSync(path.join(workDir, "state", ".pulumi", "stacks", "omnitenant-reseller")).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, "")).sort() : []);

  beforeAll(async () => {
    platform = await startTestPlatform();
    workDir = path.join(testStacksDir, `provision-${randomBytes(4).toString("hex")}`);
    customers = ids.map(customer);
  });

  afterAll(async () => {
    await platform?.dispose();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  // One reseller's story: each step starts from the catalogue and stacks the step before left, so
  // the steps are one test (a failed step does not leave later ones failing for a reason not their own).
  it("create ten customers, re-run, dry run, change, offboard, recover a failed customer", async () => {
    // creates ten customers, each in its own stack, with what the catalogue declares
    {
      const report = await run();
      expect(report.ok).toBe(true);
      expect(report.policyPacks).toEqual(["least-privilege", "quotas"]);
      expect(stateOf(report)).toEqual(Object.fromEntries(ids.map((id) => [id, "created"])));
      expect(stacks()).toEqual(ids);
      for (const [i, id] of ids.entries()) {
        const t = await tenant(id);
        expect(t).toMatchObject({ companyName: `Customer ${i + 1}`, plan: "small", country: "US", deletionProtection: id === "cust-10" });
        expect(report.customers[i].outputs).toMatchObject({ tenantId: t!.tenantId, portalUrl: t!.portalUrl });
        expect((await list(t!.tenantId, "queues")).map((q) => q.name).sort()).toEqual(["Default", "Support"]);
        const agents = await list(t!.tenantId, "agents");
        expect(agents.map((a) => a.account).sort()).toEqual(i % 2 === 0 ? ["ann", "bob"] : ["ann"]);
        const [ext] = await list(t!.tenantId, "extensions");
        expect(ext).toMatchObject({ number: "101", agentId: agents.find((a) => a.account === "ann")!.agentId });
        expect(ext.appliedRevision).toBe(ext.revision);
      }
      // The JSON report never holds a secret: derived passwords stay in the stacks' encrypted outputs.
      expect(JSON.stringify(report)).not.toMatch(/Ot1-|password/i);
    }
    // a re-run of the same catalogue changes nothing and sends no write request, through the engine or without it
    {
      const before = await stats();
      const updatesBefore = updatesRecorded();
      // --force: every customer through `pulumi up`, which must find nothing to do.
      const forced = await run({ force: true });
      expect(updatesRecorded() - updatesBefore).toBe(ids.length); // one engine update per customer
      expect(stateOf(forced)).toEqual(Object.fromEntries(ids.map((id) => [id, "unchanged"])));
      expect(forced.customers.every((c) => c.note === undefined)).toBe(true);
      // By default, a customer unchanged since its last successful up is not run at all.
      const fast = await run();
      expect(stateOf(fast)).toEqual(Object.fromEntries(ids.map((id) => [id, "unchanged"])));
      expect(fast.customers.every((c) => c.note?.includes("not run"))).toBe(true);
      expect(updatesRecorded() - updatesBefore).toBe(ids.length); // the engine was not run again
      const after = await stats();
      expect(writeRequests(after)).toBe(writeRequests(before));
      expect(after.writes).toBe(before.writes);
    }
    // --dry-run previews a change and changes nothing
    {
      customers[2].agents[0].alias = "Annie";
      const before = await stats();
      const report = await run({ dryRun: true });
      expect(report.dryRun).toBe(true);
      // The preview may count the agent's dependents too: its outputs are unknown until the update runs.
      const c3 = report.customers.find((c) => c.id === "cust-03")!;
      expect(c3.state).toBe("updated");
      expect(c3.changes.update).toBeGreaterThanOrEqual(1);
      expect(report.customers.filter((c) => c.state !== "unchanged").map((c) => c.id)).toEqual(["cust-03"]);
      expect(writeRequests(await stats())).toBe(writeRequests(before));
      const t = await tenant("cust-03");
      expect((await list(t!.tenantId, "agents")).find((a) => a.account === "ann")!.alias).toBe("Ann");
    }
    // updates a changed customer alone, reports an invalid one while the other nine succeed, and leaves a removed one alone
    {
      customers[4] = { ...customers[4], agents: [{ ...customers[4].agents[0], roles: ["boss"] }] };
      const removed = customers.splice(3, 1)[0]; // cust-04 leaves the catalogue, no --offboard
      const before = await stats();
      const report = await run();

      expect(report.ok).toBe(false);
      const states = stateOf(report);
      expect(states["cust-03"]).toBe("updated");
      expect(states["cust-05"]).toBe("failed");
      expect(report.customers.find((c) => c.id === "cust-05")!.issues).toEqual([expect.stringMatching(/^customers\[3\] "cust-05": agents\[0\]\.roles\[0\]: /)]);
      expect(ids.filter((id) => !["cust-03", "cust-04", "cust-05"].includes(id)).map((id) => states[id])).toEqual(Array(7).fill("unchanged"));
      expect(report.customers.filter((c) => ["created", "updated", "unchanged"].includes(c.state))).toHaveLength(8);
      expect(report.customers.find((c) => c.id === "cust-04")).toMatchObject({ state: "skipped", note: expect.stringContaining("orphaned, not offboarded") });

      // Only cust-03's agent was written: one PATCH.
      const after = await stats();
      expect(after.requests.byMethod.PATCH - before.requests.byMethod.PATCH).toBe(1);
      expect(after.requests.byMethod.POST - before.requests.byMethod.POST + after.requests.byMethod.DELETE - before.requests.byMethod.DELETE).toBe(0);
      const t3 = await tenant("cust-03");
      expect((await list(t3!.tenantId, "agents")).find((a) => a.account === "ann")!.alias).toBe("Annie");
      // The invalid customer and the removed one are untouched, stacks and tenants.
      const t5 = await tenant("cust-05");
      expect((await list(t5!.tenantId, "agents")).map((a) => a.roles)).toEqual([["agent"], ["agent"]]);
      expect(await tenant(removed.id)).toBeDefined();
      expect(stacks()).toEqual(ids);
    }
    // --offboard destroys a removed customer, refuses a protected one, and a policy violation fails its customer alone
    {
      customers[3] = customer("cust-05", 4); // fixed
      const i6 = customers.findIndex((c) => c.id === "cust-06");
      customers[i6] = { ...customers[i6], agents: [{ ...customers[i6].agents[0], roles: ["agent", "supervisor"] }] };
      customers = customers.filter((c) => c.id !== "cust-10"); // protected: must survive
      const protectedTenant = await tenant("cust-10");
      const report = await run({ offboard: true });

      const states = stateOf(report);
      expect(states["cust-04"]).toBe("offboarded");
      expect(await tenant("cust-04")).toBeUndefined();
      expect(stacks()).not.toContain("cust-04");

      expect(states["cust-10"]).toBe("failed");
      expect(report.customers.find((c) => c.id === "cust-10")!.error).toMatch(/deletion protection is on.*nothing was deleted/s);
      expect(stacks()).toContain("cust-10");
      expect((await list(protectedTenant!.tenantId, "agents")).length).toBe(1);
      expect((await list(protectedTenant!.tenantId, "extensions")).length).toBe(1);

      const c6 = report.customers.find((c) => c.id === "cust-06")!;
      expect(c6.state).toBe("failed");
      expect(c6.violations).toEqual(expect.arrayContaining([expect.objectContaining({ pack: "least-privilege", policy: "agent-roles", level: "mandatory", resource: "agent-ann" })]));
      const t6 = await tenant("cust-06");
      expect((await list(t6!.tenantId, "agents")).map((a) => a.roles)).toEqual([["agent"]]);

      expect(states["cust-05"]).toBe("unchanged");
      expect(["cust-01", "cust-02", "cust-03", "cust-07", "cust-08", "cust-09"].map((id) => states[id])).toEqual(Array(6).fill("unchanged"));
    }
    // runs a customer whose last deployment failed again, even with the catalogue entry of its last success
    {
      const i6 = customers.findIndex((c) => c.id === "cust-06");
      // The policy violation above failed at the preview: nothing was deployed, so the entry of the
      // last success is genuinely unchanged. A failure the preview cannot see: a queue made outside
      // Pulumi, then declared, conflicts at the up.
      const t6 = (await tenant("cust-06"))!;
      expect((await platform.api("POST", `/v1/tenants/${t6.tenantId}/queues`, { name: "Billing", channel: "chat" })).status).toBe(201);
      const lastSuccess = customer("cust-06", 5);
      customers[i6] = { ...lastSuccess, queues: [...lastSuccess.queues, { name: "Billing", channel: "chat" }] };
      const failed = (await run()).customers.find((c) => c.id === "cust-06")!;
      expect(failed.state).toBe("failed");
      expect(failed.error).toMatch(/Billing/);

      customers[i6] = lastSuccess;
      const report = await run();
      const c6 = report.customers.find((c) => c.id === "cust-06")!;
      expect(c6).toMatchObject({ state: "unchanged" });
      expect(c6.note).toBeUndefined();
      expect(report.customers.filter((c) => c.id !== "cust-06" && c.id !== "cust-10").every((c) => c.state === "unchanged" && c.note?.includes("not run"))).toBe(true);
    }
  }, 6 * 900_000);
});
