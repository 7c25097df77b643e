/**
 * Dry runs of `omnitenant provision` through the real engine change nothing, whatever they preview:
 * a brand-new customer leaves no tenant, no stack and no work folder; an offboarding dry run leaves
 * the departed customer's tenant and stack as they were. One customer is deployed first (beforeAll);
 * each test starts from that state and leaves it unchanged.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { parseCatalogue } from "../../automation/catalogue";
import { provision, type ProvisionOptions, type ProvisionReport } from "../../automation/provision";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { testStacksDir } from "../support/engine";

jest.setTimeout(600_000);

const domain = `d${randomBytes(3).toString("hex")}.pbx.example.com`;
const reseller = {
  name: "Dry-run Reseller",
  domain,
  defaults: { country: "US", timeZone: "America/New_York", language: "en-US", organizationSize: "1-10", adminEmailDomain: "ops.example.com" },
  plans: { small: { maxAgents: 3, diskQuotaGb: 5, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 10, maxExtensions: 3 } },
};
const customer = (id: string) => ({
  id,
  plan: "small",
  tenant: { companyName: `Customer ${id}` },
  queues: [{ name: "Support", channel: "chat" }],
  agents: [{ account: "ann", firstName: "Ann", alias: "Ann", email: `ann@${id}.example.com`, queues: ["Support"] }],
});

describe("provision dry runs change nothing", () => {
  let platform: TestPlatform;
  let workDir: string;

  const run = (customers: Array<Record<string, unknown>>, extra: Partial<ProvisionOptions> = {}): Promise<ProvisionReport> =>
    provision(parseCatalogue({ reseller, customers }), {
      endpoint: platform.url,
      token: platform.operatorToken,
      workDir,
      backendUrl: `file://${path.join(workDir, "state")}`,
      concurrency: 2,
      policyPacks: false,
      ...extra,
    });
  const tenantOf = async (id: string) => (await platform.api("GET", `/v1/tenants?fqdn=${id}.${domain}`)).body.items as Array<Record<string, any>>;
  const writes = async () => (await platform.api("GET", "/v1/admin/stats")).body.writes as number;
  /**
   * Every file that names the customer: its stack, history, work folder. Not folders (the file
   * backend may leave an empty lock folder), and not the `.bak` copy the file backend keeps of a
   * removed stack's checkpoint (Pulumi's own backup, not a stack: `pulumi stack ls` does not list it).
   */
  const traces = (id: string) =>
    (fs.readdirSync(workDir, { recursive: true }) as string[]).filter(
      (f) => f.includes(id) && !/\.json\.bak(\.attrs)?$/.test(f) && fs.statSync(path.join(workDir, f)).isFile(),
    );

  beforeAll(async () => {
    platform = await startTestPlatform();
    workDir = path.join(testStacksDir, `provision-dry-${randomBytes(4).toString("hex")}`);
    const report = await run([customer("kept")]);
    expect(report.customers.map((c) => [c.id, c.state, c.error])).toEqual([["kept", "created", undefined]]);
  });
  afterAll(async () => {
    await platform?.dispose();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  test("a brand-new customer is previewed as created, and leaves no tenant, stack or folder", async () => {
    const before = await writes();
    const tracesBefore = traces("newcomer");
    const report = await run([customer("kept"), customer("newcomer")], { dryRun: true });
    const newcomer = report.customers.find((c) => c.id === "newcomer")!;
    expect(newcomer).toMatchObject({ state: "created", note: "dry run: nothing was changed" });
    expect(newcomer.changes.create).toBeGreaterThanOrEqual(4); // stack, tenant, queue, agent
    expect(report.customers.find((c) => c.id === "kept")!.state).toBe("unchanged");
    expect(await tenantOf("newcomer")).toEqual([]);
    expect(await writes()).toBe(before);
    expect(tracesBefore).toEqual([]);
    expect(traces("newcomer")).toEqual([]);
  });

  test("--offboard --dry-run reports what it would destroy and destroys nothing", async () => {
    const before = await writes();
    const [tenant] = await tenantOf("kept");
    expect(tenant).toBeDefined();
    const stackFiles = traces("kept").sort();
    const report = await run([], { offboard: true, dryRun: true });
    expect(report.customers).toEqual([
      expect.objectContaining({ id: "kept", state: "offboarded", note: "dry run: would destroy the stack and remove it", changes: { delete: expect.any(Number) } }),
    ]);
    expect(report.customers[0].changes.delete).toBeGreaterThanOrEqual(3);
    expect(await writes()).toBe(before);
    expect(await tenantOf("kept")).toEqual([expect.objectContaining({ tenantId: tenant.tenantId, revision: tenant.revision })]);
    expect(traces("kept").sort()).toEqual(stackFiles);
    // The stack is still there: a real run without --offboard still reports it as orphaned.
    const after = await run([]);
    expect(after.customers).toEqual([expect.objectContaining({ id: "kept", state: "skipped", note: expect.stringContaining("orphaned, not offboarded") })]);
  });
});
