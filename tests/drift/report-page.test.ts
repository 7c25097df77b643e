/**
 * The fleet page in a real browser (Debian's chromium, driven by playwright-core): what a person
 * sees — the fleet's counts, the drifted customer highlighted, a usage bar at its width, sorting
 * and filtering — with no request leaving the page and no console error. A screenshot goes to
 * results/report-page.png.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import type { DriftReport } from "../../automation/drift-types";
import type { ProvisionReport } from "../../automation/provision-types";
import { driftReportName, provisionReportName, reportPageName, writeReportPage } from "../../automation/report-html";

const executablePath = "/usr/bin/chromium";
const launchArgs = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--disable-sync", "--no-first-run"];
const results = path.join(__dirname, "..", "..", "results");

const usage = (agents: number) => [
  { capability: "maxAgents", limit: 4, used: agents },
  { capability: "diskQuotaGb", limit: 5 },
  { capability: "maxExtensions", limit: 5, used: 1 },
];

const provisionReport: ProvisionReport = {
  reseller: "Page Reseller",
  project: "omnitenant-reseller",
  backend: "file:///tmp/state",
  dryRun: false,
  offboard: false,
  concurrency: 4,
  policyPacks: ["least-privilege", "quotas"],
  startedAt: "2026-12-01T22:00:00.000Z",
  finishedAt: "2026-12-01T22:01:30.000Z",
  durationMs: 90_000,
  counts: { created: 1, updated: 1, unchanged: 1, failed: 1, offboarded: 0, skipped: 0 },
  ok: false,
  customers: [
    { id: "alpha", state: "created", changes: { create: 7 }, durationMs: 41_000, outputs: { tenantId: "ten_alpha1", fqdn: "alpha.pbx.example.com" } },
    { id: "bravo", state: "updated", changes: { update: 2, same: 5 }, durationMs: 12_500, violations: [{ pack: "least-privilege", policy: "agent-roles", resource: "agent-ann", level: "advisory", message: "ann is an admin" }] },
    { id: "charlie", state: "unchanged", changes: {}, durationMs: 300 },
    { id: "delta", state: "failed", changes: {}, durationMs: 9_000, error: "2 policy violations", violations: [{ pack: "quotas", policy: "plan-capabilities", level: "mandatory", message: "maxAgents 9 exceeds plan small (4)" }] },
  ],
};

const driftReport: DriftReport = {
  reseller: "Page Reseller",
  project: "omnitenant-reseller",
  backend: "file:///tmp/state",
  endpoint: "http://127.0.0.1:4750",
  checkedAt: "2026-12-02T06:00:00.000Z",
  durationMs: 1_800,
  concurrency: 8,
  counts: { customers: 4, "in-sync": 2, drifted: 1, "not-deployed": 1, error: 0, changed: 1, deleted: 1, unmanaged: 1, failedRuns: 0 },
  unmanagedTenants: [],
  drifted: true,
  errors: false,
  customers: [
    { id: "alpha", state: "in-sync", fqdn: "alpha.pbx.example.com", plan: "small", changed: [], deleted: [], unmanaged: [], revisionMoved: [], usage: usage(1), durationMs: 40 },
    {
      id: "bravo",
      state: "drifted",
      fqdn: "bravo.pbx.example.com",
      plan: "small",
      changed: [{ kind: "Agent", name: "agent-ann", id: "agt_ann123", fields: [{ field: "alias", declared: "Ann", actual: "Annie" }, { field: "password", secret: true }] }],
      deleted: [{ kind: "Queue", name: "queue-Returns", id: "que_ret123" }],
      unmanaged: [{ kind: "Agent", id: "agt_zed123", key: "zed" }],
      revisionMoved: [],
      usage: usage(3),
      durationMs: 55,
    },
    { id: "charlie", state: "in-sync", fqdn: "charlie.pbx.example.com", plan: "small", changed: [], deleted: [], unmanaged: [], revisionMoved: [], usage: usage(4), durationMs: 38 },
    { id: "delta", state: "not-deployed", changed: [], deleted: [], unmanaged: [], revisionMoved: [], durationMs: 0 },
  ],
};

describe("report.html in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(executablePath)) throw new Error(`${executablePath} is missing: run \`npm test\` (it installs Debian's chromium) or apt-get install -y chromium`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "omnitenant-page-"));
    // As the commands leave them: the drift command writes the page beside the last provision report.
    fs.writeFileSync(path.join(dir, provisionReportName), JSON.stringify(provisionReport));
    fs.writeFileSync(path.join(dir, driftReportName), JSON.stringify(driftReport));
    const file = writeReportPage(dir, { drift: driftReport, generatedAt: new Date("2026-12-02T06:00:02Z") });
    expect(path.basename(file)).toBe(reportPageName);
    browser = await chromium.launch({ executablePath, args: launchArgs });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    page.on("pageerror", (e) => consoleErrors.push(e.message));
    page.on("request", (r) => !r.url().startsWith("file:") && requests.push(r.url()));
    await page.goto(`file://${file}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sums up the fleet at the top", async () => {
    const count = async (key: string) => (await page.locator(`#summary [data-count="${key}"] .n`).innerText()).trim();
    expect(await count("all")).toBe("4");
    expect(await count("failed")).toBe("1");
    expect(await count("drifted")).toBe("1");
    expect(await count("in-sync")).toBe("2");
    expect(await count("not-deployed")).toBe("0"); // delta failed: the more pressing state wins
    expect(await count("policy violations")).toBe("2");
    expect(await count("objects changed / deleted / unmanaged")).toBe("1 / 1 / 1");
  });

  it("highlights the drifted customer and says what drifted", async () => {
    const row = page.locator('tr[data-id="bravo"]');
    expect(await row.getAttribute("data-status")).toBe("drifted");
    const background = await row.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    const plain = await page.locator('tr[data-id="alpha"]').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    expect(background).not.toBe(plain);
    expect(background).toBe("rgb(255, 244, 229)");
    const text = await row.innerText();
    expect(text).toContain("changed Agent agent-ann: alias: \"Ann\" → \"Annie\"; password (secret)");
    expect(text).toContain("deleted Queue queue-Returns");
    expect(text).toContain("unmanaged Agent zed");
    expect(text).toContain("advisory agent-roles");
    expect(await page.locator('tr[data-id="delta"]').innerText()).toContain("maxAgents 9 exceeds plan small (4)");
  });

  it("draws usage against each capability as a bar of the right width", async () => {
    const bar = (id: string, cap: string) => page.locator(`tr[data-id="${id}"] .cap[data-capability="${cap}"]`);
    const width = async (id: string, cap: string) => {
      const [outer, inner] = await Promise.all([bar(id, cap).locator(".bar").boundingBox(), bar(id, cap).locator(".fill").boundingBox()]);
      return inner!.width / outer!.width;
    };
    expect(await width("bravo", "maxAgents")).toBeCloseTo(0.75, 2); // 3 of 4
    expect(await width("alpha", "maxAgents")).toBeCloseTo(0.25, 2);
    expect(await width("charlie", "maxAgents")).toBeCloseTo(1, 2);
    expect(await bar("bravo", "maxAgents").innerText()).toContain("3 / 4");
    expect(await bar("bravo", "diskQuotaGb").innerText()).toContain("usage not reported");
    expect(await bar("charlie", "maxAgents").locator(".fill").getAttribute("class")).toContain("full");
  });

  it("filters by state and sorts by a column", async () => {
    const visible = async () => page.locator("tbody tr:not([hidden])").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));
    await page.selectOption("#filter", "drifted");
    expect(await visible()).toEqual(["bravo"]);
    expect(await page.locator("#shown").innerText()).toBe("1 shown");
    await page.selectOption("#filter", "");
    expect(await visible()).toEqual(["alpha", "bravo", "charlie", "delta"]);
    await page.locator("th", { hasText: "duration" }).click();
    expect(await visible()).toEqual(["charlie", "delta", "bravo", "alpha"]);
    await page.locator("th", { hasText: "duration" }).click();
    expect(await visible()).toEqual(["alpha", "bravo", "delta", "charlie"]);
    await page.locator("th", { hasText: "state" }).click();
    expect((await visible())[0]).toBe("delta"); // failed first
  });

  it("takes a screenshot, made no request and logged no console error", async () => {
    await page.selectOption("#filter", "");
    fs.mkdirSync(results, { recursive: true });
    const shot = path.join(results, "report-page.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
