/**
 * Every resource class under pulumi.runtime.setMocks, which serializes each dynamic provider as a
 * real deployment does: closure-capture mistakes surface here. Also: the provider is serialized
 * once per kind and stays tiny, type tokens, secrets marked secret.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}
const registered: Registered[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      const idField = { Tenant: "tenantId", Agent: "agentId", Queue: "queueId", Extension: "extensionId", UserGroup: "userGroupId", IncomingNumber: "incomingNumberId", IntegrationCredential: "credentialId" }[args.type.split(":").pop()!]!;
      const id = `${args.name}_id`;
      const extra: Record<string, unknown> = { [idField]: id, revision: 1 };
      if (args.type.endsWith(":Extension")) extra.sip = { username: args.inputs.number, domain: "acme.example.com", password: "generated-sip-password", proxy: "sip.example.com" };
      if (args.type.endsWith(":IntegrationCredential")) extra.token = "generated-api-token";
      return { id, state: { ...args.inputs, ...extra } };
    },
    call: (args) => args.inputs,
  },
  "omnitenant",
  "test",
  false,
);

// Imported after setMocks, as a program would be evaluated under the engine.
import * as omni from "../../sdk";

const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));
const isSecret = <T>(o: pulumi.Output<T>): Promise<boolean> => (pulumi as any).isSecret(o);

function program() {
  const tenant = new omni.Tenant("acme", {
    companyName: "Acme",
    organizationSize: "11-50",
    country: "FR",
    fqdn: "acme.pbx.example.com",
    timeZone: "Europe/Paris",
    language: "fr-FR",
    admin: { username: "admin", password: "tenant-admin-password", firstName: "Ada", email: "ada@example.com" },
    capabilities: { maxAgents: 5, diskQuotaGb: 10, maxWidgets: 1, maxChannelAccounts: 2, maxWorkflows: 1, maxCannedMessages: 10, maxExtensions: 10 },
  });
  const queue = new omni.Queue("billing", { tenantId: tenant.tenantId, name: "Billing" });
  const agents = [0, 1, 2].map(
    (i) => new omni.Agent(`agent${i}`, { tenantId: tenant.tenantId, account: `a${i}`, password: pulumi.output(`agent-password-${i}`), firstName: "A", alias: "A", email: "a@example.com", queueIds: [queue.queueId] }),
  );
  const exts = [0, 1].map(
    (i) =>
      new omni.Extension(`ext${i}`, {
        tenantId: tenant.tenantId,
        number: String(101 + i),
        name: `E${i}`,
        followMe: { destinations: [{ target: String(102 - i) }] },
        keys: [{ position: 1, action: "blf", target: String(102 - i) }],
        portal: { username: `e${i}`, password: `portal-password-${i}` },
        agentId: agents[i].agentId,
      }),
  );
  const group = new omni.UserGroup("team", { tenantId: tenant.tenantId, name: "Team", memberIds: exts.map((e) => e.extensionId), queueId: queue.queueId });
  const number = new omni.IncomingNumber("main", { tenantId: tenant.tenantId, number: "+33187654321", destination: { type: "extension", target: "101" } });
  const creds = [
    new omni.IntegrationCredential("api", { tenantId: tenant.tenantId, name: "api", kind: "apiToken", scopes: ["events:read"], expiresAt: "2030-01-01T00:00:00Z" }),
    new omni.IntegrationCredential("crm", { tenantId: tenant.tenantId, name: "crm", kind: "zoho", secrets: { apiKey: "zoho-api-key-value" }, agentIds: [agents[0].agentId] }),
  ];
  return { tenant, queue, agents, exts, group, number, creds };
}

describe("SDK resources under mocks", () => {
  let made: ReturnType<typeof program>;
  beforeAll(async () => {
    made = program();
    // An id resolves once the mock registered its resource: then every registration is in.
    const all = [made.tenant, made.queue, ...made.agents, ...made.exts, made.group, made.number, ...made.creds];
    await Promise.all(all.map((r) => value(r.id)));
    expect(registered).toHaveLength(all.length);
  });

  test("every class constructs with its type token", async () => {
    const types = new Set(registered.map((r) => r.type));
    for (const token of Object.values(omni.typeTokens)) expect(types).toContain(token);
    expect(await value(made.tenant.tenantId)).toBe("acme_id");
    expect(await value(made.exts[0].extensionId)).toBe("ext0_id");
    expect(await value(made.number.incomingNumberId)).toBe("main_id");
    expect(await value(made.group.memberIds)).toEqual(["ext0_id", "ext1_id"]);
  });

  test("the provider is serialized once per kind, not once per resource, and stays tiny", () => {
    const byType = new Map<string, Set<string>>();
    for (const r of registered) {
      const text = r.inputs.__provider as string;
      expect(typeof text).toBe("string");
      if (!byType.has(r.type)) byType.set(r.type, new Set());
      byType.get(r.type)!.add(text);
    }
    for (const [, texts] of byType) expect(texts.size).toBe(1);
    const all = new Set(registered.map((r) => r.inputs.__provider as string));
    expect(all.size).toBe(7);
    for (const text of all) {
      // Stored twice per resource and rewritten at every checkpoint: smaller than the benchmark's
      // no-op provider (two methods, about 930 B).
      expect(text.length).toBeLessThan(930);
      // It loads the compiled provider of the omnitenant that serialized it (its absolute dist/provider,
      // else the program folder's omnitenant); nothing of the SDK's process is inside.
      expect(text).toContain(JSON.stringify(require("node:path").resolve(__dirname, "..", "..", "dist", "provider")));
      expect(text).toContain('require.resolve("omnitenant/package.json"');
      expect(text).not.toMatch(/undici|zod|Dispatcher|http:\/\//);
    }
  });

  test("revived as the provider host revives it, configure attaches the kind's own methods", async () => {
    // The host: require-from-string, handler(), then configure before any other call.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const requireFromString = require("require-from-string") as (code: string, filename?: string) => { handler(): Record<string, any> };
    const text = registered.find((r) => r.type.endsWith(":Extension"))!.inputs.__provider as string;
    const revived = requireFromString(text, path.join(process.cwd(), "__provider.js")).handler();
    expect(Object.keys(revived)).toEqual(["configure"]);
    await revived.configure({ config: { get: () => undefined } });
    // The same module instance as the host's: loaded through Node's own require, as the text is.
    const real = (requireFromString(`module.exports = { handler: () => require(${JSON.stringify(path.resolve(__dirname, "..", "..", "dist", "provider", "extension.js"))}).extensionProvider }`, path.join(process.cwd(), "__real.js")).handler());
    // Each method is the kind's own, behind the host adapter (provider/host.ts): same answers, and
    // check failures carry no property name, so the engine prints no value.
    for (const m of ["check", "diff", "create", "read", "update", "delete"]) expect(typeof revived[m]).toBe("function");
    const good = { tenantId: "ten_abcdef12", number: "101", name: "Reception" };
    expect(await revived.check({}, good)).toEqual(await real.check({}, good));
    const bad = { ...good, number: "1x" };
    const [failure] = (await revived.check({}, bad)).failures;
    expect(failure.property).toBe("");
    expect(failure.reason).toMatch(/^number: /);
  });

  test("each resource carries a stable identity for idempotent creates", () => {
    const agent0 = registered.find((r) => r.name === "agent0")!;
    expect(agent0.inputs.__identity).toBe("omnitenant/test/Agent/agent0");
  });

  test("passwords, tokens and secrets are secret outputs, given plain or not", async () => {
    expect(await isSecret(made.tenant.admin)).toBe(true);
    expect(await isSecret(made.agents[0].password)).toBe(true);
    expect(await isSecret(made.exts[0].portal)).toBe(true);
    expect(await isSecret(made.exts[0].sip)).toBe(true);
    expect(await isSecret(made.creds[0].token)).toBe(true);
    expect(await isSecret(made.creds[1].secrets)).toBe(true);
    expect(await isSecret(made.tenant.companyName)).toBe(false);
  });

  test("no secret value appears in plaintext in any non-secret output", async () => {
    const secrets = ["tenant-admin-password", "agent-password-0", "portal-password-0", "generated-sip-password", "generated-api-token", "zoho-api-key-value"];
    const resources: pulumi.CustomResource[] = [made.tenant, made.queue, ...made.agents, ...made.exts, made.group, made.number, ...made.creds];
    for (const res of resources) {
      for (const [key, out] of Object.entries(res)) {
        if (!pulumi.Output.isInstance(out) || key === "urn" || key === "id") continue;
        if (await isSecret(out)) continue;
        const text = JSON.stringify((await value(out)) ?? null);
        for (const s of secrets) expect({ key, leaked: text.includes(s) }).toEqual({ key, leaked: false });
      }
    }
  });

  test("inputs that hold secrets are sent as secrets", () => {
    const agent0 = registered.find((r) => r.name === "agent0")!;
    const tenant = registered.find((r) => r.name === "acme")!;
    const sig = "4dabf18193072939515e22adb298388d";
    expect(agent0.inputs.password).toEqual({ [sig]: expect.any(String), value: "agent-password-0" });
    expect(tenant.inputs.admin).toEqual({ [sig]: expect.any(String), value: expect.objectContaining({ password: "tenant-admin-password" }) });
    const crm = registered.find((r) => r.name === "crm")!;
    expect(crm.inputs.secrets).toEqual({ [sig]: expect.any(String), value: { apiKey: "zoho-api-key-value" } });
  });
});

describe("the serialized provider revived in another process, as the provider host does", () => {
  const fs = require("node:fs") as typeof import("node:fs");
  const os = require("node:os") as typeof import("node:os");
  const path = require("node:path") as typeof import("node:path");
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const repoRoot = path.resolve(__dirname, "..", "..");
  const providerDir = path.join(repoRoot, "dist", "provider");

  /** Revives the text with require-from-string in `cwd` and runs the provider's check. */
  const revive = (text: string, cwd: string) => {
    const script = `const p = require(${JSON.stringify(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }))})(process.env.PROVIDER_TEXT).handler();
Promise.resolve(p.configure({ config: { get: () => undefined } })).then(() => p.check({}, { name: "Billing" })).then((r) => console.log(JSON.stringify(Object.keys(r))), (e) => { console.error(e.message); process.exit(1); });`;
    return spawnSync(process.execPath, ["-e", script], { cwd, env: { ...process.env, PROVIDER_TEXT: text }, encoding: "utf8" });
  };
  const queueProvider = () => registered.find((r) => r.type.endsWith(":Queue"))!.inputs.__provider as string;
  const away = fs.mkdtempSync(path.join(os.tmpdir(), "omnitenant-revive-"));
  afterAll(() => fs.rmSync(away, { recursive: true, force: true }));

  it("loads the compiled provider of the omnitenant that serialized it, from any working directory", () => {
    expect(fs.existsSync(path.join(providerDir, "queue.js"))).toBe(true); // compiled by npm test / tsc
    const r = revive(queueProvider(), away);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining(["inputs"]));
  });

  it("falls back to the program folder's omnitenant when that location is gone (state moved to another machine)", () => {
    const moved = queueProvider().split(JSON.stringify(providerDir)).join(JSON.stringify("/nonexistent/omnitenant/dist/provider"));
    expect(moved).not.toContain(providerDir);
    expect(revive(moved, away).status).not.toBe(0); // nothing resolves omnitenant there
    const folder = path.join(away, "program");
    fs.mkdirSync(path.join(folder, "node_modules"), { recursive: true });
    fs.symlinkSync(repoRoot, path.join(folder, "node_modules", "omnitenant"));
    const r = revive(moved, folder);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  });
});
