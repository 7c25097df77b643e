/**
 * The floor of the HTTP work: the creates of a fleet plan and the same number of applies, sent by a
 * bare undici client at a given concurrency, scheduled as the engine schedules them (an object
 * starts once the objects it references exist). No validation, no state, no retries: what any
 * client must at least spend talking to the platform.
 */
import { Agent } from "undici";
import { randomUUID } from "node:crypto";
import { stagedKinds, type FleetPlan, type Kind, type PlannedObject } from "./programs/fleet";

const paths: Record<Kind, string> = {
  Tenant: "tenants",
  Queue: "queues",
  Agent: "agents",
  Extension: "extensions",
  UserGroup: "user-groups",
  IncomingNumber: "incoming-numbers",
  IntegrationCredential: "integrations",
};
const idFields: Record<Kind, string> = {
  Tenant: "tenantId",
  Queue: "queueId",
  Agent: "agentId",
  Extension: "extensionId",
  UserGroup: "userGroupId",
  IncomingNumber: "incomingNumberId",
  IntegrationCredential: "credentialId",
};

class Semaphore {
  private waiting: Array<() => void> = [];
  private free: number;
  constructor(n: number) {
    this.free = n;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

export interface FloorResult {
  wallMs: number;
  requests: number;
  creates: number;
  applies: number;
  concurrency: number;
}

/**
 * Replays the plan's creates and `applies` applies (spread over the tenants in proportion to their
 * staged objects, each sent once the staged creates before it are done).
 */
export async function runFloor(platform: { url: string; operatorToken: string }, plan: FleetPlan, concurrency: number, applies: number): Promise<FloorResult> {
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  const sem = new Semaphore(concurrency);
  let requests = 0;
  const origin = new URL(platform.url).origin;
  const send = async (method: "POST", path: string, body?: unknown, idempotent = false): Promise<Record<string, any>> =>
    sem.run(async () => {
      requests++;
      const res = await dispatcher.request({
        origin,
        path,
        method,
        headers: {
          authorization: `Bearer ${platform.operatorToken}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(idempotent ? { "idempotency-key": randomUUID() } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) throw new Error(`floor: ${method} ${path}: ${res.statusCode} ${text}`);
      return text ? (JSON.parse(text) as Record<string, any>) : {};
    });

  const totalStaged = plan.tenants.reduce((s, t) => s + t.children.filter((c) => stagedKinds.includes(c.kind)).length, 0);
  let appliesLeft = applies;
  const started = performance.now();
  await Promise.all(
    plan.tenants.map(async (pt, ti) => {
      const tenant = await send("POST", "/v1/tenants", pt.tenant.args, true);
      const tenantId = String(tenant.tenantId);
      const done = new Map<string, Promise<string>>();
      const create = (c: PlannedObject): Promise<string> => {
        const key = `${c.kind}/${c.key}`;
        let p = done.get(key);
        if (p) return p;
        p = (async () => {
          const body: Record<string, unknown> = { ...c.args };
          for (const [field, ref] of Object.entries(c.refs ?? {})) {
            const ids = await Promise.all(ref.keys.map((k) => done.get(`${ref.kind}/${k}`)!));
            body[field] = ref.many ? ids : ids[0];
          }
          const obj = await send("POST", `/v1/tenants/${tenantId}/${paths[c.kind]}`, body, true);
          return String(obj[idFields[c.kind]]);
        })();
        done.set(key, p);
        return p;
      };
      // Every child is declared in reference order, so its references are in `done` already.
      const children = pt.children.map((c) => ({ c, id: create(c) }));
      const staged = children.filter(({ c }) => stagedKinds.includes(c.kind));
      // This tenant's share of the applies (the last tenant takes what rounding left).
      const share = ti === plan.tenants.length - 1 ? appliesLeft : Math.min(appliesLeft, Math.round((applies * staged.length) / Math.max(1, totalStaged)));
      appliesLeft -= share;
      const applying: Promise<unknown>[] = [];
      for (let i = 0; i < share; i++) {
        const upTo = Math.max(1, Math.floor(((i + 1) * staged.length) / share));
        applying.push(Promise.all(staged.slice(0, upTo).map((s) => s.id)).then(() => send("POST", `/v1/tenants/${tenantId}/changes/apply`)));
      }
      await Promise.all([...children.map((x) => x.id), ...applying]);
    }),
  );
  const wallMs = performance.now() - started;
  await dispatcher.close();
  return { wallMs, requests, creates: plan.resourceCount, applies, concurrency };
}
