/**
 * The drift check against `pulumi refresh --preview-only`: one customer stack holding every kind of
 * resource (two of each child kind), deployed by provision through the real engine on a real
 * platform; then each kind of drift is made on the platform by hand, and the drift check (no
 * engine) and a refresh preview (the engine, the provider's read) must name the same objects as
 * changed and as deleted.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { parseCatalogue } from "../../automation/catalogue";
import { drift, type DriftReport } from "../../automation/drift";
import { openStack } from "../../automation/engine";
import { provision, type ProvisionReport } from "../../automation/provision";
import { writeReport } from "../../automation/provision-display";
import { writeProvisionPage } from "../../automation/report-page";
import { execFile } from "node:child_process";
import * as os from "node:os";
import Ajv from "ajv";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { repoRoot, testStacksDir } from "../support/engine";
import { exitedPid, writeStackLock } from "../support/stack-locks";

jest.setTimeout(600_000);

const domain = `d${randomBytes(3).toString("hex")}.pbx.example.com`;
const agentPassword = "Hand-Set-Password-42";
const crmKey = "crm-api-key-value-123";

const reseller = {
  name: "Drift Reseller",
  domain,
  defaults: { country: "US", timeZone: "America/New_York", language: "en-US", organizationSize: "1-10", adminEmailDomain: "ops.example.com" },
  plans: { small: { maxAgents: 5, diskQuotaGb: 5, maxWidgets: 1, maxChannelAccounts: 3, maxWorkflows: 1, maxCannedMessages: 10, maxExtensions: 5 } },
};

const customer = {
  id: "drift-a",
  plan: "small",
  tenant: { companyName: "Drift A" },
  queues: [{ name: "Sales", channel: "chat" }, { name: "Returns", channel: "chat" }],
  agents: [
    { account: "ann", firstName: "Ann", alias: "Ann", email: "ann@drift-a.example.com" },
    { account: "bob", firstName: "Bob", alias: "Bob", email: "bob@drift-a.example.com" },
    { account: "cy", firstName: "Cy", alias: "Cy", email: "cy@drift-a.example.com" },
  ],
  extensions: [{ number: "101", name: "Front" }, { number: "102", name: "Back" }],
  userGroups: [{ name: "Desk" }, { name: "Night" }],
  numbers: [{ number: "+14155550100" }, { number: "+14155550101" }],
  credentials: [
    { name: "CRM", kind: "hubspot", secrets: { apiKey: crmKey, refreshToken: "crm-refresh-token-456" } },
    { name: "Hook", kind: "webhook", settings: { url: "https://hooks.drift-a.example.com/omni", events: ["chat.closed"] } },
  ],
};

describe("omnitenant drift agrees with pulumi refresh --preview-only", () => {
  let platform: TestPlatform;
  let workDir: string;
  const catalogue = () => parseCatalogue({ reseller, customers: [customer] });
  const backendUrl = () => `file://${path.join(workDir, "state")}`;
  const check = () => drift(catalogue(), { endpoint: platform.url, token: platform.operatorToken, workDir, backendUrl: backendUrl(), concurrency: 2 });
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await platform.api(method, p, body);
    if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const find = async (tenantId: string, collection: string, key: string, value: string) =>
    ((await call("GET", `/v1/tenants/${tenantId}/${collection}?limit=100`)).items as Array<Record<string, any>>).find((o) => o[key] === value)!;

  /** Resource name → what a refresh preview would do to it (same, update, delete). */
  async function refreshPreview(): Promise<Map<string, string>> {
    const stack = await openStack({
      projectName: "omnitenant-reseller",
      stackName: customer.id,
      program: async () => undefined,
      workDir: path.join(workDir, "stacks", customer.id),
      backendUrl: backendUrl(),
      env: { OMNITENANT_ENDPOINT: platform.url, OMNITENANT_TOKEN: platform.operatorToken },
    });
    const ops = new Map<string, string>();
    const onEvent = (e: EngineEvent) => {
      const m = e.resOutputsEvent?.metadata;
      if (m && m.type.startsWith("pulumi-nodejs:dynamic/omnitenant:")) ops.set(m.urn.split("::").pop()!, m.op);
    };
    await stack.previewRefresh({ onEvent, color: "never" });
    return ops;
  }

  let provisionReport: ProvisionReport;
  const names = (objects: Array<{ name?: string }>) => objects.map((o) => o.name!).sort();

  beforeAll(async () => {
    platform = await startTestPlatform();
    workDir = path.join(testStacksDir, `drift-${randomBytes(4).toString("hex")}`);
    provisionReport = await provision(catalogue(), { endpoint: platform.url, token: platform.operatorToken, workDir, backendUrl: backendUrl(), policyPacks: false });
    if (!provisionReport.ok) throw new Error(`provision failed: ${JSON.stringify(provisionReport.customers)}`);
  });

  afterAll(async () => {
    await platform?.dispose();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("finds nothing in a fresh deployment", async () => {
    const report = await check();
    expect(report.customers.map((c) => [c.id, c.state])).toEqual([["drift-a", "in-sync"]]);
    expect(report.drifted).toBe(false);
    expect(report.counts).toMatchObject({ changed: 0, deleted: 0, unmanaged: 0, failedRuns: 0 });
    // Usage against the plan comes from the tenant: 3 agents of 5.
    expect(report.customers[0].usage).toContainEqual({ capability: "maxAgents", limit: 5, used: 3 });
  });

  let report: DriftReport;
  let refresh: Map<string, string>;

  it("each kind of drift on every kind of resource: both name the same objects", async () => {
    const tenantId = (await call("GET", `/v1/tenants?fqdn=drift-a.${domain}`)).items[0].tenantId as string;
    const t = `/v1/tenants/${tenantId}`;
    const ids = {
      sales: (await find(tenantId, "queues", "name", "Sales")).queueId,
      returns: (await find(tenantId, "queues", "name", "Returns")).queueId,
      ann: (await find(tenantId, "agents", "account", "ann")).agentId,
      bob: (await find(tenantId, "agents", "account", "bob")).agentId,
      cy: (await find(tenantId, "agents", "account", "cy")).agentId,
      e101: (await find(tenantId, "extensions", "number", "101")).extensionId,
      e102: (await find(tenantId, "extensions", "number", "102")).extensionId,
      desk: (await find(tenantId, "user-groups", "name", "Desk")).userGroupId,
      night: (await find(tenantId, "user-groups", "name", "Night")).userGroupId,
      n100: (await find(tenantId, "incoming-numbers", "number", "+14155550100")).incomingNumberId,
      n101: (await find(tenantId, "incoming-numbers", "number", "+14155550101")).incomingNumberId,
      crm: (await find(tenantId, "integrations", "name", "CRM")).credentialId,
      hook: (await find(tenantId, "integrations", "name", "Hook")).credentialId,
    };
    // Changed by hand: a field of every kind; the CRM credential loses a secret (write-only, compared by key only).
    await call("PATCH", t, { companyName: "Drift A (renamed by hand)", capabilities: { maxAgents: 4 } });
    await call("PATCH", `${t}/queues/${ids.sales}`, { description: "edited in the portal" });
    await call("PATCH", `${t}/agents/${ids.ann}`, { alias: "Annie", skills: ["Spanish"] });
    await call("PATCH", `${t}/extensions/${ids.e101}`, { name: "Front desk" });
    await call("PATCH", `${t}/user-groups/${ids.desk}`, { name: "Desk 2" });
    await call("PATCH", `${t}/incoming-numbers/${ids.n100}`, { destination: { type: "extension", target: "101" } });
    await call("PATCH", `${t}/integrations/${ids.crm}`, { secrets: { apiKey: crmKey } });
    // Only a write-only value changed: the platform shows a new revision and nothing else.
    await call("PATCH", `${t}/agents/${ids.cy}`, { password: agentPassword });
    // Deleted by hand: one object of every child kind (staged deletions applied).
    for (const [collection, id] of [["queues", ids.returns], ["agents", ids.bob], ["extensions", ids.e102], ["user-groups", ids.night], ["incoming-numbers", ids.n101], ["integrations", ids.hook]]) {
      await call("DELETE", `${t}/${collection}/${id}`);
    }
    await call("POST", `${t}/changes/apply`, {});
    // Made by hand: objects no stack manages.
    await call("POST", `${t}/agents`, { account: "zed", password: agentPassword, firstName: "Zed", alias: "Zed", email: "zed@drift-a.example.com" });
    await call("POST", "/v1/tenants", {
      companyName: "Stray", organizationSize: "1-10", country: "US", fqdn: `stray.${domain}`, timeZone: "UTC", language: "en",
      admin: { username: "admin", password: agentPassword, firstName: "Stray", email: "stray@example.com" },
      capabilities: reseller.plans.small,
    });

    report = await check();
    refresh = await refreshPreview();
    const [c] = report.customers;
    process.stdout.write(`${JSON.stringify(c, null, 1)}\n${JSON.stringify([...refresh])}\n`);

    const byOp = (op: string) => [...refresh].filter(([, o]) => o === op).map(([n]) => n).sort();
    expect(names(c.changed)).toEqual(byOp("update"));
    expect(names(c.deleted)).toEqual(byOp("delete"));
    // And what that is: every kind changed, every child kind deleted.
    expect(c.changed.map((o) => o.kind).sort()).toEqual(["Agent", "Extension", "IncomingNumber", "IntegrationCredential", "Queue", "Tenant", "UserGroup"]);
    expect(c.deleted.map((o) => o.kind).sort()).toEqual(["Agent", "Extension", "IncomingNumber", "IntegrationCredential", "Queue", "UserGroup"]);
    expect(byOp("same")).toEqual(["agent-cy"]);
  });

  it("says which fields differ, secrets only that they changed, and never prints a secret", () => {
    const [c] = report.customers;
    const fields = (name: string) => c.changed.find((o) => o.name === name)!.fields;
    expect(fields("drift-a").map((f) => f.field).sort()).toEqual(["capabilities", "companyName"]);
    expect(fields("drift-a").find((f) => f.field === "companyName")).toEqual({ field: "companyName", declared: "Drift A", actual: "Drift A (renamed by hand)" });
    expect(fields("agent-ann")).toEqual([
      { field: "alias", declared: "Ann", actual: "Annie" },
      { field: "skills", declared: [], actual: ["Spanish"] },
    ]);
    expect(fields("queue-Sales").map((f) => f.field)).toEqual(["description"]);
    expect(fields("ext-101").map((f) => f.field)).toEqual(["name"]);
    expect(fields("group-Desk").map((f) => f.field)).toEqual(["name"]);
    expect(fields("number-+14155550100").map((f) => f.field)).toEqual(["destination"]);
    expect(fields("credential-CRM")).toEqual([{ field: "secrets", secret: true }]);
    // The password-only change: refresh reports the agent unchanged, and so does drift (listed apart).
    expect(refresh.get("agent-cy")).toBe("same");
    expect(c.revisionMoved.map((o) => o.name)).toEqual(["agent-cy"]);
    expect(c.unmanaged).toEqual([expect.objectContaining({ kind: "Agent", key: "zed" })]);
    expect(report.unmanagedTenants).toEqual([expect.objectContaining({ fqdn: `stray.${domain}` })]);
    expect(c.state).toBe("drifted");
    expect(report.drifted).toBe(true);
    const text = JSON.stringify(report);
    for (const secret of [crmKey, "crm-refresh-token-456", agentPassword, "Ot1-"]) expect(text).not.toContain(secret);
  });

  it("the JSON reports of both commands match their documented schemas", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const schema = (name: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, "docs", "schemas", name), "utf8"));
    const validDrift = ajv.compile(schema("drift-report.schema.json"));
    const validProvision = ajv.compile(schema("provision-report.schema.json"));
    const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v));
    expect(validDrift(roundTrip(report)) ? [] : validDrift.errors).toEqual([]);
    expect(validProvision(roundTrip(provisionReport)) ? [] : validProvision.errors).toEqual([]);
    // The schemas are strict enough to catch a wrong report.
    expect(validDrift({ ...roundTrip(report), counts: { drifted: "one" } })).toBe(false);
    expect(validProvision({ ...roundTrip(provisionReport), customers: [{ id: "x", state: "exploded" }] })).toBe(false);
  });

  it("a failed last run and an interrupted one are reported as drift", async () => {
    // A run that fails: the catalogue renames an agent, and every PATCH is refused (one attempt per request).
    customer.agents[0].alias = "Ann B";
    await call("PUT", "/v1/admin/faults", { error500: 1, methods: ["PATCH"] });
    const failed = await provision(catalogue(), { endpoint: platform.url, token: platform.operatorToken, workDir, backendUrl: backendUrl(), policyPacks: false, env: { OMNITENANT_MAX_ATTEMPTS: "1" } });
    await call("PUT", "/v1/admin/faults", { error500: 0 });
    customer.agents[0].alias = "Ann";
    expect(failed.customers[0].state).toBe("failed");
    let [c] = (await check()).customers;
    expect(c.lastRunProblem).toBe("failed");
    expect(c.lastRun).toMatchObject({ kind: "update", result: "failed" });
    expect(c.state).toBe("drifted");

    // A run killed mid-update leaves a pending operation in the checkpoint (as tests/e2e/interrupted
    // makes one for real); `pulumi stack import` would drop it, so it goes into the checkpoint file.
    const checkpointFile = path.join(workDir, "state", ".pulumi", "stacks", "omnitenant-reseller", `${customer.id}.json`);
    const checkpoint = JSON.parse(fs.readFileSync(checkpointFile, "utf8"));
    const agent = checkpoint.checkpoint.latest.resources.find((r: { urn: string }) => r.urn.endsWith("::agent-ann"));
    checkpoint.checkpoint.latest.pending_operations = [{ resource: agent, type: "updating" }];
    fs.writeFileSync(checkpointFile, JSON.stringify(checkpoint));
    [c] = (await check()).customers;
    expect(c.lastRunProblem).toBe("interrupted");
    expect(c.pendingOperations).toEqual([{ type: "updating", name: "agent-ann" }]);

    // A run killed without checkpoints leaves only its lock (as tests/reliability/checkpoints shows
    // for real): a lock of a process of this host that no longer runs.
    const dead = exitedPid();
    const lockFile = writeStackLock(path.join(workDir, "state"), "omnitenant-reseller", customer.id, "killed-run", { pid: dead, username: "someone", hostname: os.hostname(), timestamp: "2026-12-04T20:00:00Z" });
    try {
      const withLock = await check();
      expect(withLock.customers[0]).toMatchObject({ lastRunProblem: "interrupted", abandonedLock: { pid: dead, hostname: os.hostname(), timestamp: "2026-12-04T20:00:00Z" } });
      expect(JSON.stringify(withLock)).not.toContain("someone");
      const ajv = new Ajv({ allErrors: true, strict: false });
      const valid = ajv.compile(JSON.parse(fs.readFileSync(path.join(repoRoot, "docs", "schemas", "drift-report.schema.json"), "utf8")));
      expect(valid(JSON.parse(JSON.stringify(withLock))) ? [] : valid.errors).toEqual([]);
    } finally {
      fs.rmSync(lockFile);
    }
  });

  it("the command: text or --json, exit code 2 on drift, report.html beside --report", async () => {
    const catalogueFile = path.join(workDir, "catalogue.json");
    fs.writeFileSync(catalogueFile, JSON.stringify({ reseller, customers: [customer] }));
    const reportFile = path.join(workDir, "out", "drift-report.json");
    // Not spawnSync: the platform runs in this process and must keep answering.
    const run = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          [path.join(repoRoot, "dist", "cli", "index.js"), "drift", catalogueFile, "--backend", backendUrl(), "--endpoint", platform.url, ...args],
          { cwd: workDir, env: { ...process.env, OMNITENANT_TOKEN: platform.operatorToken } },
          (_err, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
        );
      });
    const json = await run("--json", "--report", reportFile);
    expect(json.stderr).toContain("report.html");
    expect(json.status).toBe(2);
    const parsed = JSON.parse(json.stdout) as DriftReport;
    expect(parsed.customers[0]).toMatchObject({ id: "drift-a", state: "drifted", lastRunProblem: "interrupted" });
    expect(JSON.parse(fs.readFileSync(reportFile, "utf8")).customers[0].id).toBe("drift-a");
    expect(fs.readFileSync(path.join(workDir, "out", "report.html"), "utf8")).toContain('data-id="drift-a"');
    const text = await run();
    expect(text.status).toBe(2);
    expect(text.stdout).toContain("drift-a: drifted");
    expect(text.stdout).toContain("last run interrupted");
    expect(text.stdout).not.toContain(crmKey);
    const bad = await run("--concurrency", "0");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--concurrency must be a positive integer");
  });

  it("a tenant deleted by hand: both find every resource of the stack deleted", async () => {
    // The interrupted-run test above put a pending operation into the checkpoint: take it out again.
    const checkpointFile = path.join(workDir, "state", ".pulumi", "stacks", "omnitenant-reseller", `${customer.id}.json`);
    const checkpoint = JSON.parse(fs.readFileSync(checkpointFile, "utf8"));
    checkpoint.checkpoint.latest.pending_operations = [];
    fs.writeFileSync(checkpointFile, JSON.stringify(checkpoint));
    const tenantId = (await call("GET", `/v1/tenants?fqdn=drift-a.${domain}`)).items[0].tenantId as string;
    await call("DELETE", `/v1/tenants/${tenantId}`);

    const [c] = (await check()).customers;
    const refreshed = await refreshPreview();
    const deleted = [...refreshed].filter(([, op]) => op === "delete").map(([n]) => n).sort();
    expect(names(c.deleted)).toEqual(deleted);
    // Everything the stack still held: the tenant and the children not deleted by hand before.
    expect(deleted).toEqual([...refreshed.keys()].sort());
    expect(c.deleted.map((o) => o.kind)).toContain("Tenant");
    expect(c.changed).toEqual([]);
    expect(c.state).toBe("drifted");
  });

  it("provision writes report.html beside its JSON report, with usage bars and the last drift report", async () => {
    const dir = path.join(workDir, "page");
    const jsonReport = path.join(dir, "provision-report.json");
    writeReport(jsonReport, provisionReport);
    fs.writeFileSync(path.join(dir, "drift-report.json"), JSON.stringify(report));
    const page = await writeProvisionPage(jsonReport, provisionReport, { endpoint: platform.url, token: platform.operatorToken });
    const html = fs.readFileSync(path.resolve(page), "utf8");
    expect(path.basename(page)).toBe("report.html");
    expect(html).toContain('tr class="row status-drifted" data-status="drifted" data-id="drift-a"');
    expect(html).toMatch(/data-capability="maxAgents">.*?\d+ \/ 4/);
    expect(html).not.toContain(crmKey);
  });
});
