/** A platform per test file, the provider configured to talk to it, and a way to count what reached it. */
import { startTestPlatform, type ApiResponse } from "../support/platform";
import { configure, resetConfiguration } from "../../provider/config";
import { closeClient } from "../../provider/client";

export interface TestPlatform {
  url: string;
  operatorToken: string;
  /** The platform's SQLite file (its key file is `${dataFile}.key`), for checking what is stored. */
  dataFile: string;
  /** GET /v1/admin/stats. */
  stats(): Promise<{ requests: { total: number; byMethod: Record<string, number> }; writes: number; applies: number; faults: Record<string, number> }>;
  /** PUT /v1/admin/faults ({} turns them off). */
  faults(config: Record<string, unknown>): Promise<void>;
  /** A raw request, outside the provider (for out-of-band changes). */
  raw<T = any>(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export async function startProviderPlatform(overrides: Record<string, number> = {}): Promise<TestPlatform> {
  const platform = await startTestPlatform();
  resetConfiguration();
  configure({ endpoint: platform.url, token: platform.operatorToken, retryBaseMs: 10, retryMaxMs: 200, applyWaitMs: 5_000, ...overrides }, "test");
  const raw = platform.api;
  return {
    url: platform.url,
    operatorToken: platform.operatorToken,
    dataFile: platform.dataFile,
    stats: async () => (await raw("GET", "/v1/admin/stats")).body,
    faults: async (config) => {
      const res = await raw("PUT", "/v1/admin/faults", config);
      if (res.status !== 200) throw new Error(`faults: ${res.status} ${JSON.stringify(res.body)}`);
    },
    raw,
    close: async () => {
      await closeClient();
      await platform.dispose();
      resetConfiguration();
    },
  };
}

let seq = 0;
/** A unique suffix so that tests in one file never collide on natural keys. */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`;

export function tenantArgs(fqdnPrefix = "t"): Record<string, any> {
  return {
    companyName: "Acme Corp",
    organizationSize: "11-50",
    country: "FR",
    fqdn: `${unique(fqdnPrefix)}.pbx.example.com`,
    timeZone: "Europe/Paris",
    language: "fr-FR",
    admin: { username: "admin", password: "correct-horse-battery", firstName: "Ada", email: "ada@example.com" },
    capabilities: { maxAgents: 20, diskQuotaGb: 10, maxWidgets: 2, maxChannelAccounts: 5, maxWorkflows: 3, maxCannedMessages: 50, maxExtensions: 50 },
  };
}

type Obj = Record<string, any>;
export interface KindProvider {
  check(olds: Obj, news: Obj): Promise<{ inputs?: Obj; failures?: Array<{ property: string; reason: string }> }>;
  diff(id: string, olds: Obj, news: Obj): Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
  create(inputs: Obj): Promise<{ id: string; outs: Obj }>;
  read(id: string, props?: Obj): Promise<{ id?: string; props?: Obj; inputs?: Obj }>;
  update(id: string, olds: Obj, news: Obj): Promise<{ outs: Obj }>;
  delete(id: string, props: Obj): Promise<void>;
}

/** check, asserting no failures, with an identity as the SDK adds it. */
export async function checked(provider: KindProvider, news: Obj, name = unique("r")): Promise<Obj> {
  const r = await provider.check({}, { ...news, __identity: `proj/stack/${name}` });
  expect(r.failures ?? []).toEqual([]);
  return r.inputs!;
}

export interface LifecycleCase {
  p: () => TestPlatform;
  provider: KindProvider;
  idField: string;
  /** Valid inputs (tenantId included). */
  inputs: () => Promise<Obj>;
  /** A change that updates in place, and what the output then shows. */
  inPlace: (i: Obj) => Obj;
  expectInPlace: (outs: Obj) => void;
  /** A change that replaces, and the property named. */
  replace: (i: Obj) => Obj;
  replaces: string[];
  /** A change made outside Pulumi (PATCH body) and the input it shows up in. */
  outOfBand: Obj | (() => Obj);
  driftField: string;
  /** Staged kinds: the create is live (applied) before it reports success. */
  staged?: boolean;
}

/** The lifecycle every kind must pass over real HTTP: create, read, update, delete, diff, drift. */
export function lifecycleTests(c: LifecycleCase): void {
  test("create returns the id and outputs; the object is live", async () => {
    const inputs = await c.inputs();
    const { id, outs } = await c.provider.create(inputs);
    expect(outs[c.idField]).toBe(id);
    expect(outs.revision).toEqual(expect.any(Number));
    if (c.staged) expect(outs.appliedRevision).toBe(outs.revision);
    const res = await c.p().raw("GET", `/v1/tenants/${inputs.tenantId}/${pathOf(id)}/${id}`);
    expect(res.status).toBe(200);
    if (c.staged) expect(res.body.appliedRevision).toBe(res.body.revision);
  });

  test("diff: no change, in place, replace", async () => {
    const inputs = await c.inputs();
    const { id, outs } = await c.provider.create(inputs);
    expect(await c.provider.diff(id, outs, inputs)).toMatchObject({ changes: false, replaces: [] });
    expect(await c.provider.diff(id, outs, c.inPlace(inputs))).toMatchObject({ changes: true, replaces: [] });
    expect(await c.provider.diff(id, outs, c.replace(inputs))).toMatchObject({ changes: true, replaces: c.replaces });
    expect(await c.provider.diff(id, outs, { ...inputs, tenantId: "ten_othertenant1" })).toMatchObject({ changes: true, replaces: ["tenantId"], deleteBeforeReplace: false });
  });

  test("update PATCHes in place and converges", async () => {
    const inputs = await c.inputs();
    const { id, outs } = await c.provider.create(inputs);
    const news = c.inPlace(inputs);
    const before = await c.p().stats();
    const { outs: after } = await c.provider.update(id, outs, news);
    const stats = await c.p().stats();
    expect(stats.requests.byMethod.PATCH - before.requests.byMethod.PATCH).toBe(1);
    c.expectInPlace(after);
    expect(after[c.idField]).toBe(id);
    if (c.staged) expect(after.appliedRevision).toBe(after.revision);
    expect(await c.provider.diff(id, after, news)).toMatchObject({ changes: false });
  });

  test("refresh sees an out-of-band change; delete is idempotent; a deleted object reads as gone", async () => {
    const inputs = await c.inputs();
    const { id, outs } = await c.provider.create(inputs);
    const read = await c.provider.read(id, outs);
    expect(await c.provider.diff(id, read.props!, inputs)).toMatchObject({ changes: false });
    const outOfBand = typeof c.outOfBand === "function" ? c.outOfBand() : c.outOfBand;
    const res = await c.p().raw("PATCH", `/v1/tenants/${inputs.tenantId}/${pathOf(id)}/${id}`, outOfBand);
    expect({ status: res.status, body: res.status === 200 ? undefined : res.body }).toEqual({ status: 200, body: undefined });
    const drifted = await c.provider.read(id, outs);
    expect(drifted.inputs![c.driftField]).toEqual(outOfBand[c.driftField]);
    expect(drifted.props![c.driftField]).toEqual(outOfBand[c.driftField]);
    expect(await c.provider.diff(id, drifted.props!, inputs)).toMatchObject({ changes: true });
    // up after refresh puts the declared configuration back
    const { outs: fixed } = await c.provider.update(id, drifted.props!, inputs);
    expect(await c.provider.diff(id, fixed, inputs)).toMatchObject({ changes: false });

    await c.provider.delete(id, fixed);
    expect(await c.provider.read(id, fixed)).toEqual({ id: "" });
    await c.provider.delete(id, fixed);
  });
}

const paths: Record<string, string> = { agt: "agents", que: "queues", ext: "extensions", grp: "user-groups", num: "incoming-numbers", crd: "integrations" };
export const pathOf = (id: string) => paths[id.slice(0, 3)];
