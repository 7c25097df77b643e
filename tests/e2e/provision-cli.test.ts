/**
 * `omnitenant provision` through its command line and the real engine: exit 0 when every customer is
 * fine, exit 1 when one failed (the others still provisioned), the JSON report written either way.
 * (Exit 2, a catalogue that cannot be used, is in tests/cli/provision-exit-codes.test.ts.)
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { repoRoot } from "../support/engine";
import { killTree } from "../support/process-tree";
import Ajv from "ajv";

jest.setTimeout(600_000);

const domain = `c${randomBytes(3).toString("hex")}.pbx.example.com`;
const catalogue = (customers: unknown[]) => ({
  reseller: {
    name: "CLI Reseller",
    domain,
    defaults: { country: "US", timeZone: "America/New_York", language: "en-US", organizationSize: "1-10", adminEmailDomain: "ops.example.com" },
    plans: { tiny: { maxAgents: 1, diskQuotaGb: 5, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 10, maxExtensions: 3 } },
  },
  customers,
});
const agent = (account: string, id: string) => ({ account, firstName: "A", alias: account, email: `${account}@${id}.example.com` });

describe("omnitenant provision exit codes", () => {
  let platform: TestPlatform;
  // Under the repository (ignored .omnitenant/): the provider host resolves omnitenant from there.
  fs.mkdirSync(path.join(repoRoot, ".omnitenant"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(repoRoot, ".omnitenant", "provision-cli-"));
  const children = new Set<ReturnType<typeof spawn>>();

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    // A CLI still running (a failed test) goes with its whole tree: the engine and its plugins too.
    for (const c of children) if (c.exitCode === null && c.pid) await killTree(c.pid);
    await platform?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the CLI asynchronously (jest stays responsive), with its own state: tests do not see each other's customers. */
  function provision(name: string, customers: unknown[], ...args: string[]): Promise<{ status: number | null; output: string; stdout: string; report: any }> {
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(catalogue(customers)));
    const reportFile = path.join(dir, `${name}-report.json`);
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, "bin", "omnitenant.js"), "provision", file, "--backend", `file://${path.join(dir, `${name}-state`)}`, "--report", reportFile, "--no-policy-packs", "--concurrency", "2", ...args],
      { cwd: dir, env: { ...process.env, OMNITENANT_ENDPOINT: platform.url, OMNITENANT_TOKEN: platform.operatorToken, CI: "true" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    children.add(child);
    let output = "";
    let stdout = "";
    child.stdout!.on("data", (d) => ((output += d), (stdout += d)));
    child.stderr!.on("data", (d) => (output += d));
    return new Promise((resolve) =>
      child.on("exit", (status) => {
        children.delete(child);
        resolve({ status, output, stdout, report: fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, "utf8")) : undefined });
      }),
    );
  }

  test("0 when every customer is provisioned", async () => {
    const r = await provision("ok", [{ id: "fine", plan: "tiny", tenant: { companyName: "Fine" }, agents: [agent("ann", "fine")] }]);
    expect({ status: r.status, output: r.output }).toMatchObject({ status: 0 });
    expect(r.report.customers.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([["fine", "created"]]);
  });

  test("--json: stdout is the report alone, as its schema documents it", async () => {
    const r = await provision("json", [{ id: "quiet", plan: "tiny", tenant: { companyName: "Quiet" }, agents: [agent("ann", "quiet")] }], "--json");
    expect({ status: r.status, output: r.output }).toMatchObject({ status: 0 });
    const printed = JSON.parse(r.stdout);
    expect(printed).toEqual(r.report);
    const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, "docs", "schemas", "provision-report.schema.json"), "utf8"));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(printed) ? [] : validate.errors).toEqual([]);
    expect(r.output).toContain("report: "); // where it was written: on stderr
  });

  test("1 when a customer fails; the others are still provisioned", async () => {
    const r = await provision("mixed", [
      { id: "good", plan: "tiny", tenant: { companyName: "Good" }, agents: [agent("ann", "good")] },
      // Two agents on a plan of one: the platform refuses the second (quota).
      { id: "over", plan: "tiny", tenant: { companyName: "Over" }, agents: [agent("ann", "over"), agent("bob", "over")] },
    ]);
    expect({ status: r.status, output: r.output }).toMatchObject({ status: 1 });
    const states = Object.fromEntries(r.report.customers.map((c: { id: string; state: string }) => [c.id, c.state]));
    expect(states).toEqual({ good: "created", over: "failed" });
    expect(r.output).toContain("Some customers failed; the others were provisioned.");
    expect((await platform.api("GET", `/v1/tenants?fqdn=good.${domain}`)).body.items).toHaveLength(1);
  });
});
