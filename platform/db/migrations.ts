/**
 * Numbered schema migrations. Append only: a released migration is never edited, a new number is
 * added instead. Each runs in its own transaction with the version recorded in `schema_migrations`.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: "initial",
    sql: `
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

      -- seq orders pages; instance numbers come from the counter and are never reused.
      CREATE TABLE tenants (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        instance_number INTEGER NOT NULL UNIQUE,
        fqdn TEXT NOT NULL UNIQUE,
        reserved INTEGER NOT NULL DEFAULT 0,
        config TEXT NOT NULL,
        admin_password_hash TEXT NOT NULL,
        default_queue_id TEXT,
        revision INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- Every object under a tenant. config is the saved configuration; for staged kinds, applied
      -- is the live one (null until the create is applied) and pending_op the saved change.
      CREATE TABLE objects (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        natural_key TEXT NOT NULL,
        config TEXT NOT NULL,
        secrets TEXT NOT NULL DEFAULT '{}',
        applied TEXT,
        applied_revision INTEGER,
        pending_op TEXT CHECK (pending_op IN ('create', 'update', 'delete')),
        saved_at TEXT,
        last_error TEXT,
        revision INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (tenant_id, kind, natural_key)
      );
      CREATE INDEX objects_by_kind ON objects (tenant_id, kind, seq);
      CREATE INDEX objects_pending ON objects (tenant_id, seq) WHERE pending_op IS NOT NULL;

      -- apiToken credentials, looked up by the SHA-256 of the bearer token.
      CREATE TABLE api_tokens (
        token_hash TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        credential_id TEXT NOT NULL UNIQUE REFERENCES objects(id) ON DELETE CASCADE,
        scopes TEXT NOT NULL,
        expires_at TEXT
      );

      -- Idempotent creates: the first response, encrypted because it may carry generated secrets.
      CREATE TABLE idempotency_keys (
        token_hash TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        response TEXT NOT NULL,
        object_id TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (token_hash, method, path, idem_key)
      );
      CREATE INDEX idempotency_by_object ON idempotency_keys (object_id);
      CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);
    `,
  },
  {
    version: 2,
    name: "idempotency-request-mac",
    // Rows of version 1 held a plain SHA-256 of bodies that carry passwords: a fast verifier of
    // every password. They are dropped; new rows hold an HMAC keyed outside the database file.
    sql: "DELETE FROM idempotency_keys;",
  },
  {
    version: 3,
    name: "applied-secrets",
    // The hashes and sealed values of the applied configuration, so that withdrawing a pending change
    // restores the passwords that are live, not the ones the withdrawn change saved. Rows with a
    // pending change keep NULL: their live secrets were not kept, and a withdrawal leaves the saved ones.
    sql: `
      ALTER TABLE objects ADD COLUMN applied_secrets TEXT;
      UPDATE objects SET applied_secrets = secrets WHERE applied IS NOT NULL AND pending_op IS NULL;
    `,
  },
];
