/**
 * The fleet's PostgreSQL: connections with errors that name the database (never its password)
 * and say what to do, and the per-customer lock that keeps two workers off one stack.
 */
import { createHash } from "node:crypto";
import { Client } from "pg";

export type FleetErrorCode =
  | "database.url"
  | "database.unreachable"
  | "database.auth"
  | "database.missing"
  | "database.schema-missing"
  | "database.permission"
  | "database.error"
  | "fleet.backend-mismatch";

/** A fleet set-up problem; `code` is stable, `field` names the flag or option to fix. */
export class FleetError extends Error {
  constructor(
    readonly code: FleetErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "FleetError";
  }
}

/** A postgres:// URL as it may be shown: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
  }
}

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

/** Query parameters the Pulumi backend or the queue read themselves, not the PostgreSQL driver. */
const ownParams = ["table", "schema"];

/** The URL for the PostgreSQL driver, and the parameters taken out of it. */
export function splitUrl(url: string, field: string): { connectionString: string; params: Record<string, string> } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FleetError("database.url", field, `${field}: ${redactUrl(url)} is not a URL; use postgres://user:password@host:port/database`);
  }
  if (!/^postgres(ql)?:$/.test(u.protocol)) throw new FleetError("database.url", field, `${field}: ${redactUrl(url)} is not a postgres:// URL`);
  const params: Record<string, string> = {};
  for (const p of ownParams) {
    const v = u.searchParams.get(p);
    if (v !== null) params[p] = v;
    u.searchParams.delete(p);
  }
  return { connectionString: u.toString(), params };
}

/** Turns a driver error into a FleetError naming the URL without its password and the fix. */
export function describeDbError(err: unknown, url: string, field: string): FleetError {
  if (err instanceof FleetError) return err;
  const e = err as { code?: string; message?: string; errors?: Array<{ code?: string }> };
  const code = e.code ?? e.errors?.[0]?.code;
  const where = redactUrl(url);
  const text = e.message || (e.errors?.length ? String(e.errors[0]) : String(err));
  if (code && ["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"].includes(code) || /timeout expired|Connection terminated/i.test(text)) {
    return new FleetError("database.unreachable", field, `${field}: cannot reach PostgreSQL at ${where} (${code ?? text}); check the host and port, and that the server accepts connections`);
  }
  if (code === "28P01" || code === "28000") {
    return new FleetError("database.auth", field, `${field}: PostgreSQL at ${where} refused the user name or password; check the credentials in the URL (or PGPASSWORD)`);
  }
  if (code === "3D000") return new FleetError("database.missing", field, `${field}: the database of ${where} does not exist; create it (createdb) or fix the URL`);
  if (code === "3F000") return new FleetError("database.schema-missing", field, `${field}: a schema named in ${where} does not exist; create it or fix the URL`);
  if (code === "42501") return new FleetError("database.permission", field, `${field}: the user of ${where} lacks a permission: ${text}`);
  return new FleetError("database.error", field, `${field}: PostgreSQL at ${where} failed: ${text}`);
}

/** A connected client; connection problems become FleetErrors. */
export async function connect(url: string, field: string): Promise<Client> {
  const { connectionString } = splitUrl(url, field);
  const client = new Client({ connectionString, connectionTimeoutMillis: 10_000, application_name: "omnitenant" });
  client.on("error", () => undefined); // a dropped connection surfaces on the next query
  try {
    await client.connect();
    await client.query("select 1");
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw describeDbError(err, url, field);
  }
}

/** Checks that the database answers, before anything is queued or deployed. */
export async function checkDatabase(url: string, field: string): Promise<void> {
  const client = await connect(url, field);
  await client.end();
}

/** Two 32-bit keys for pg_advisory_lock, from the stack's name. */
function lockKeys(name: string): [number, number] {
  const h = createHash("sha256").update(`omnitenant:${name}`).digest();
  return [h.readInt32BE(0), h.readInt32BE(4)];
}

/**
 * Holds a customer's stack for this process: a session-level advisory lock on the state
 * database. PostgreSQL releases it when the connection ends, so a killed worker frees it at once
 * (its socket closes) and nothing needs a timeout. Returns undefined when another session holds it.
 */
export async function lockStack(url: string, field: string, name: string): Promise<{ release(): Promise<void> } | undefined> {
  const client = await connect(url, field);
  const [a, b] = lockKeys(name);
  try {
    const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1, $2) as locked", [a, b]);
    if (!rows[0].locked) {
      await client.end();
      return undefined;
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw describeDbError(err, url, field);
  }
  return { release: () => client.end().catch(() => undefined) };
}

/** Pulumi's lock entries of one stack in a postgres:// backend (its DIY backend keeps them as rows, keyed under the URL's path). */
export async function pulumiLocks(url: string, field: string, project: string, stack: string): Promise<string[]> {
  const table = splitUrl(url, field).params.table ?? "pulumi_state";
  const client = await connect(url, field);
  try {
    const exists = await client.query("select to_regclass($1) as t", [table]);
    if (!exists.rows[0].t) return [];
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(table)) return [];
    const { rows } = await client.query<{ key: string }>(`select key from ${table} where key like $1`, [`%.pulumi/locks/%/${project}/${stack}/%`]);
    return rows.map((r) => r.key);
  } finally {
    await client.end();
  }
}
