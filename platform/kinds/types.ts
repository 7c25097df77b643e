/** The behaviour of one child kind: how a create or a patch becomes stored config, its rules, its view. */
import type { KindSpec } from "../../provider/schemas";
import type { Context } from "../context";
import type { ObjectRow, TenantRow } from "../db/store";
import type { Principal } from "../http/auth";

export type Config = Record<string, unknown>;

export interface Draft {
  config: Config;
  /** Hashes and sealed values, stored in `objects.secrets`, never returned. */
  secrets: Record<string, string>;
  /** Values returned once, in the create response only (generated passwords, tokens). */
  reveal?: Record<string, unknown>;
  /** Runs inside the write transaction, after the row exists (e.g. registers an API token). */
  afterWrite?: (ctx: Context, objectId: string) => void;
}

export interface KindHandler {
  spec: KindSpec;
  /** The natural key of a config (account, name, number). */
  naturalKey(config: Config): string;
  /** Turns a validated create body into a draft; async because passwords are scrypt-hashed off the event loop. */
  create(ctx: Context, tenant: TenantRow, input: Config): Promise<Draft>;
  /** Applies the present fields of a validated patch to the stored config and secrets. */
  patch(ctx: Context, tenant: TenantRow, row: ObjectRow, patch: Config): Promise<Draft>;
  /** Cross-field and reference rules on the resulting config; throws a Problem. Runs in the write transaction. */
  check(ctx: Context, tenant: TenantRow, config: Config, selfId: string | null): void;
  /** What the caller may grant: the resulting config of a create or patch, before it is saved; throws `forbidden`. */
  checkGrant?(principal: Principal, config: Config): void;
  /** Capability quota of a create; throws `quota-exceeded`. */
  checkQuota?(ctx: Context, tenant: TenantRow, config: Config): void;
  /** Objects that use this one, which forbid its deletion (`in-use`). */
  usedBy?(ctx: Context, tenant: TenantRow, row: ObjectRow): string[];
  /** The object as returned by the API, from a stored config. */
  present(ctx: Context, tenant: TenantRow, row: ObjectRow, config: Config): Record<string, unknown>;
}
