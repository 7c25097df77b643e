/**
 * Builds a customer's inline Pulumi program from its catalogue entry. The program's inputs depend
 * only on the catalogue, the environment's secrets and the stack's password seed, in catalogue
 * order: the same catalogue gives the same inputs, so a re-run changes nothing.
 */
import { createHmac } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import * as omni from "omnitenant";
import { defaultQueueName, type Customer, type SecretValue } from "./catalogue";

/**
 * Passwords the catalogue leaves out are derived from a random seed kept (as a secret output) in
 * the customer's stack: stable across runs, different per customer, never in the catalogue.
 */
export function derivePassword(seed: string, key: string): string {
  return `Ot1-${createHmac("sha256", seed).update(key).digest("base64url").slice(0, 24)}`;
}

export interface ProgramContext {
  /** The customer's password seed (from its stack, or new). */
  seed: string;
  /** Where `{env: NAME}` secrets are read. */
  env: NodeJS.ProcessEnv;
  /** Kept as an output once every resource succeeded: lets the next run skip an unchanged customer. */
  fingerprint?: string;
}

/** Resources the program declares, the stack resource excluded: the progress display's total. */
export function resourceCount(c: Customer): number {
  return 1 + c.queues.length + c.agents.length + c.extensions.length + c.userGroups.length + c.numbers.length + c.credentials.length;
}

export function customerProgram(c: Customer, ctx: ProgramContext): PulumiFn {
  const secret = (key: string, given: SecretValue | undefined): pulumi.Output<string> => {
    if (given === undefined) return pulumi.secret(derivePassword(ctx.seed, key));
    if (typeof given === "string") return pulumi.secret(given);
    const value = ctx.env[given.env];
    if (!value) throw new Error(`environment variable ${given.env} is not set`);
    return pulumi.secret(value);
  };
  const adopt = c.adopt ? { adopt: true } : {};
  const ids: pulumi.Output<string>[] = [];

  return async () => {
    const { admin, ...profile } = c.tenant;
    const adminPassword = secret("tenant/admin", admin.password);
    const tenant = new omni.Tenant(c.id, { ...profile, admin: { ...admin, password: adminPassword }, ...adopt });
    const tenantId = tenant.tenantId;
    ids.push(tenantId);

    const queues = new Map<string, pulumi.Output<string>>([[defaultQueueName, tenant.defaultQueueId]]);
    for (const q of c.queues) queues.set(q.name, new omni.Queue(`queue-${q.name}`, { tenantId, ...q, ...adopt }).queueId);
    ids.push(...queues.values());

    const agents = new Map<string, pulumi.Output<string>>();
    for (const { queues: names, password, ...a } of c.agents) {
      const agent = new omni.Agent(`agent-${a.account}`, {
        tenantId,
        ...a,
        password: secret(`agent/${a.account}`, password),
        ...(names ? { queueIds: names.map((n) => queues.get(n)!) } : {}),
        ...adopt,
      });
      agents.set(a.account, agent.agentId);
      ids.push(agent.agentId);
    }

    const extensions = new Map<string, pulumi.Output<string>>();
    for (const { agent, portal, ...e } of c.extensions) {
      const ext = new omni.Extension(`ext-${e.number}`, {
        tenantId,
        ...e,
        ...(agent !== undefined ? { agentId: agents.get(agent)! } : {}),
        ...(portal ? { portal: { ...portal, password: secret(`portal/${e.number}`, portal.password) } } : {}),
        ...adopt,
      });
      extensions.set(e.number, ext.extensionId);
      ids.push(ext.extensionId);
    }

    for (const { members, queue, ...g } of c.userGroups) {
      const group = new omni.UserGroup(`group-${g.name}`, {
        tenantId,
        ...g,
        ...(members ? { memberIds: members.map((m) => extensions.get(m)!) } : {}),
        ...(queue !== undefined ? { queueId: queues.get(queue)! } : {}),
        ...adopt,
      });
      ids.push(group.userGroupId);
    }

    for (const n of c.numbers) ids.push(new omni.IncomingNumber(`number-${n.number}`, { tenantId, ...n, ...adopt }).incomingNumberId);

    const credentials: Record<string, pulumi.Output<unknown>> = {};
    for (const { agents: accounts, secrets, ...k } of c.credentials) {
      const values = secrets && Object.fromEntries(Object.entries(secrets).map(([name, v]) => [name, secret(`credential/${k.name}/${name}`, v)]));
      const cred = new omni.IntegrationCredential(`credential-${k.name}`, {
        tenantId,
        ...k,
        ...(values ? { secrets: values } : {}),
        ...(accounts ? { agentIds: accounts.map((a) => agents.get(a)!) } : {}),
        ...adopt,
      });
      ids.push(cred.credentialId);
      // Generated once, at creation: the reseller's only chance to read them (`pulumi stack output --show-secrets`).
      credentials[k.name] = pulumi.secret(
        pulumi.all([cred.credentialId, cred.token, cred.clientSecret, cred.signingSecret]).apply(([credentialId, token, clientSecret, signingSecret]) => ({
          credentialId, token, clientSecret, signingSecret,
        })),
      );
    }

    return {
      tenantId,
      portalUrl: tenant.portalUrl,
      instanceNumber: tenant.instanceNumber,
      fqdn: tenant.fqdn,
      adminUsername: admin.username,
      adminPassword,
      credentials,
      passwordSeed: pulumi.secret(ctx.seed),
      // Resolves only when every resource of the customer exists as declared.
      ...(ctx.fingerprint ? { catalogueFingerprint: pulumi.all(ids).apply(() => ctx.fingerprint!) } : {}),
    };
  };
}
