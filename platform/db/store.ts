/** Prepared statements over the schema, and the row shapes they return. */
import type Database from "better-sqlite3";
import type { Db } from "./database";

/** The part of a prepared statement the platform uses, named so that declaration emit can refer to it. */
export interface Stmt<P extends unknown[] = unknown[], R = unknown> {
  get(...params: P): R | undefined;
  all(...params: P): R[];
  run(...params: P): Database.RunResult;
}

export interface TenantRow {
  seq: number;
  id: string;
  instance_number: number;
  fqdn: string;
  reserved: number;
  config: string;
  admin_password_hash: string;
  default_queue_id: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface ObjectRow {
  seq: number;
  id: string;
  tenant_id: string;
  kind: string;
  natural_key: string;
  config: string;
  secrets: string;
  applied: string | null;
  applied_revision: number | null;
  /** The secrets of the applied configuration (null before the first apply). */
  applied_secrets: string | null;
  pending_op: "create" | "update" | "delete" | null;
  saved_at: string | null;
  last_error: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface TokenRow {
  token_hash: string;
  tenant_id: string;
  credential_id: string;
  scopes: string;
  expires_at: string | null;
}

export interface IdempotencyRow {
  request_hash: string;
  status: number;
  response: string;
  object_id: string | null;
  created_at: number;
}

export function prepareStatements(db: Db) {
  const prepare = <P extends unknown[] = unknown[], R = unknown>(sql: string): Stmt<P, R> => db.prepare(sql) as unknown as Stmt<P, R>;
  return {
    nextCounter: prepare<[string], { value: number }>(
      "INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value",
    ),
    setCounterAtLeast: prepare<[string, number]>(
      "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)",
    ),

    tenantById: prepare<[string], TenantRow>("SELECT * FROM tenants WHERE id = ?"),
    tenantByFqdn: prepare<[string], TenantRow>("SELECT * FROM tenants WHERE fqdn = ?"),
    reservedTenant: prepare<[], TenantRow>("SELECT * FROM tenants WHERE reserved = 1"),
    tenantPage: prepare<[number, number], TenantRow>("SELECT * FROM tenants WHERE seq > ? ORDER BY seq LIMIT ?"),
    tenantPageByFqdn: prepare<[number, string, number], TenantRow>(
      "SELECT * FROM tenants WHERE seq > ? AND fqdn = ? ORDER BY seq LIMIT ?",
    ),
    insertTenant: prepare(
      `INSERT INTO tenants (id, instance_number, fqdn, reserved, config, admin_password_hash, default_queue_id, revision, created_at, updated_at)
       VALUES (@id, @instance_number, @fqdn, @reserved, @config, @admin_password_hash, @default_queue_id, 1, @now, @now)`,
    ),
    updateTenant: prepare(
      "UPDATE tenants SET config = @config, admin_password_hash = @admin_password_hash, revision = revision + 1, updated_at = @now WHERE id = @id",
    ),
    deleteTenant: prepare<[string]>("DELETE FROM tenants WHERE id = ?"),

    objectById: prepare<[string, string, string], ObjectRow>("SELECT * FROM objects WHERE id = ? AND tenant_id = ? AND kind = ?"),
    objectOfTenant: prepare<[string, string], ObjectRow>("SELECT * FROM objects WHERE id = ? AND tenant_id = ?"),
    objectByKey: prepare<[string, string, string], ObjectRow>("SELECT * FROM objects WHERE tenant_id = ? AND kind = ? AND natural_key = ?"),
    objectsOfKind: prepare<[string, string], ObjectRow>("SELECT * FROM objects WHERE tenant_id = ? AND kind = ? ORDER BY seq"),
    objectPage: prepare<[string, string, number, number], ObjectRow>(
      "SELECT * FROM objects WHERE tenant_id = ? AND kind = ? AND seq > ? ORDER BY seq LIMIT ?",
    ),
    objectPageByKey: prepare<[string, string, number, string, number], ObjectRow>(
      "SELECT * FROM objects WHERE tenant_id = ? AND kind = ? AND seq > ? AND natural_key = ? ORDER BY seq LIMIT ?",
    ),
    countLive: prepare<[string, string], { n: number }>(
      "SELECT count(*) AS n FROM objects WHERE tenant_id = ? AND kind = ? AND (pending_op IS NULL OR pending_op <> 'delete')",
    ),
    pendingOfTenant: prepare<[string], ObjectRow>("SELECT * FROM objects WHERE tenant_id = ? AND pending_op IS NOT NULL ORDER BY seq"),
    pendingPage: prepare<[string, number, number], ObjectRow & { seq: number }>(
      "SELECT * FROM objects WHERE tenant_id = ? AND pending_op IS NOT NULL AND seq > ? ORDER BY seq LIMIT ?",
    ),
    insertObject: prepare(
      `INSERT INTO objects (id, tenant_id, kind, natural_key, config, secrets, applied, applied_revision, pending_op, saved_at, revision, created_at, updated_at)
       VALUES (@id, @tenant_id, @kind, @natural_key, @config, @secrets, NULL, NULL, @pending_op, @saved_at, 1, @now, @now)`,
    ),
    updateObject: prepare(
      `UPDATE objects SET natural_key = @natural_key, config = @config, secrets = @secrets, pending_op = @pending_op,
         saved_at = @saved_at, last_error = NULL, revision = revision + 1, updated_at = @now WHERE id = @id`,
    ),
    markDeletePending: prepare(
      "UPDATE objects SET pending_op = 'delete', saved_at = @now, last_error = NULL, revision = revision + 1, updated_at = @now WHERE id = @id",
    ),
    markApplied: prepare<[string]>(
      "UPDATE objects SET applied = config, applied_secrets = secrets, applied_revision = revision, pending_op = NULL, saved_at = NULL, last_error = NULL WHERE id = ?",
    ),
    /** Withdraws a pending change of an applied object: the saved configuration becomes the applied one again, under a new revision. */
    restoreApplied: prepare(
      `UPDATE objects SET natural_key = @natural_key, config = applied, secrets = coalesce(applied_secrets, secrets), pending_op = NULL,
         saved_at = NULL, last_error = NULL, revision = revision + 1, applied_revision = revision + 1, updated_at = @now WHERE id = @id`,
    ),
    setLastError: prepare<[string, string]>("UPDATE objects SET last_error = ? WHERE id = ?"),
    deleteObject: prepare<[string]>("DELETE FROM objects WHERE id = ?"),

    insertToken: prepare("INSERT INTO api_tokens (token_hash, tenant_id, credential_id, scopes, expires_at) VALUES (@token_hash, @tenant_id, @credential_id, @scopes, @expires_at)"),
    updateTokenGrant: prepare<[string, string | null, string]>("UPDATE api_tokens SET scopes = ?, expires_at = ? WHERE credential_id = ?"),
    tokenByHash: prepare<[string], TokenRow>("SELECT * FROM api_tokens WHERE token_hash = ?"),

    idempotencyGet: prepare<[string, string, string, string], IdempotencyRow>(
      "SELECT request_hash, status, response, object_id, created_at FROM idempotency_keys WHERE token_hash = ? AND method = ? AND path = ? AND idem_key = ?",
    ),
    idempotencyPut: prepare(
      `INSERT INTO idempotency_keys (token_hash, method, path, idem_key, request_hash, status, response, object_id, created_at)
       VALUES (@token_hash, @method, @path, @idem_key, @request_hash, @status, @response, @object_id, @created_at)`,
    ),
    idempotencyDelete: prepare<[string, string, string, string]>(
      "DELETE FROM idempotency_keys WHERE token_hash = ? AND method = ? AND path = ? AND idem_key = ?",
    ),
    idempotencyRelease: prepare<[string]>("DELETE FROM idempotency_keys WHERE object_id = ?"),
    idempotencyReleaseTenant: prepare<[{ tenantId: string }]>(
      "DELETE FROM idempotency_keys WHERE object_id = @tenantId OR object_id IN (SELECT id FROM objects WHERE tenant_id = @tenantId)",
    ),
    idempotencyExpire: prepare<[number]>("DELETE FROM idempotency_keys WHERE created_at < ?"),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
