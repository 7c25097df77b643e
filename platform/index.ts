/**
 * The local platform: the management API on SQLite, for trying omnitenant and for every test.
 *
 *   const p = await startPlatform({ port: 0, dataFile: "/tmp/x.db" });
 *   // p.url, p.operatorToken … await p.close();
 */
import { existsSync, mkdirSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DEFAULT_SCRYPT_COST, randomToken, SecretBox } from "./crypto";
import type { Context } from "./context";
import { openDatabase } from "./db/database";
import { prepareStatements } from "./db/store";
import { buildApp } from "./http/app";
import { FaultInjector, type FaultOptions } from "./http/faults";
import { RateLimiter, type RateLimitOptions } from "./http/rate-limit";
import { ensureManagementInstance } from "./tenants";

export interface PlatformOptions {
  port?: number;
  host?: string;
  /** SQLite file; default `.omnitenant/platform.db` under the current directory. */
  dataFile?: string;
  /** Default: env OMNITENANT_OPERATOR_TOKEN, else a generated `omo_…` token. */
  operatorToken?: string;
  /**
   * Fault injection, for reliability tests only: true (all faults off at start) or a starting
   * configuration. Without it the platform injects nothing and has no /v1/admin/faults routes.
   */
  faults?: boolean | FaultOptions;
  rateLimit?: RateLimitOptions;
  sipProxy?: string;
  managementFqdn?: string;
  /**
   * Write the connection file ({url, operatorToken, pid}, mode 0600) for the provider and the reseller
   * automation: `<dir of dataFile>/platform.json`, and `platform.json` in each of connectionFileDirs.
   */
  writeConnectionFile?: boolean;
  /** Further directories for the connection file (the CLI adds `.omnitenant`, where the provider looks). */
  connectionFileDirs?: string[];
  /** The request log: one line per request (method, route, status, duration, request id; never a body, a query, a header or a token). Default off for an embedded platform; the CLI turns it on unless --quiet. */
  logger?: boolean;
  /** log2 of scrypt's N for stored passwords (default 14). Tests may lower it; never below 10. */
  scryptCost?: number;
  /** The clock for expiries and rate limits (default Date.now); tests inject one instead of sleeping. */
  now?: () => number;
}

export interface Platform {
  url: string;
  operatorToken: string;
  dataFile: string;
  /** The connection files written (empty unless writeConnectionFile); removed on close. */
  connectionFiles: string[];
  /** True when the operator token was generated (neither given nor in the environment). */
  generatedToken: boolean;
  close(): Promise<void>;
}

export const DEFAULT_DATA_FILE = join(".omnitenant", "platform.db");

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const dataFile = resolve(options.dataFile ?? DEFAULT_DATA_FILE);
  const given = options.operatorToken ?? process.env.OMNITENANT_OPERATOR_TOKEN;
  const operatorToken = given || randomToken("omo_");
  const db = openDatabase(dataFile);
  const st = prepareStatements(db);
  const ctx: Context = {
    db,
    st,
    box: SecretBox.fromKeyFile(`${dataFile}.key`),
    sipProxy: options.sipProxy ?? "sip.omnitenant.local",
    scryptCost: Math.max(10, Math.min(20, options.scryptCost ?? DEFAULT_SCRYPT_COST)),
    managementFqdn: options.managementFqdn ?? "management.omnitenant.local",
    counters: { writes: 0, applies: 0 },
    now: options.now ?? Date.now,
  };
  await ensureManagementInstance(ctx);
  st.idempotencyExpire.run(ctx.now() - 24 * 60 * 60 * 1000);
  const { app } = buildApp(ctx, {
    operatorToken,
    faults: options.faults ? new FaultInjector(options.faults === true ? {} : options.faults) : null,
    rateLimiter: options.rateLimit ? new RateLimiter(options.rateLimit, ctx.now) : null,
    logger: options.logger ?? false,
  });
  const host = options.host ?? "127.0.0.1";
  try {
    await app.listen({ port: options.port ?? 4750, host });
  } catch (err) {
    db.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  // Expired idempotency keys are purged hourly; unref so the timer never keeps a process alive.
  const purge = setInterval(() => st.idempotencyExpire.run(ctx.now() - 24 * 60 * 60 * 1000), 60 * 60 * 1000);
  purge.unref();

  // Beside the data file (where the reseller automation looks for its own platform), and in any
  // further directory asked for (the CLI: `./.omnitenant`, where the provider looks from a program's
  // directory upwards) — one file when the data file is the default one.
  const connectionFiles = [...new Set([dirname(dataFile), ...(options.connectionFileDirs ?? [])].map((dir) => join(resolve(dir), "platform.json")))];
  if (options.writeConnectionFile) {
    for (const file of connectionFiles) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ url, operatorToken, pid: process.pid }, null, 2) + "\n", { mode: 0o600 });
    }
  }
  let closed: Promise<void> | null = null;
  return {
    url,
    operatorToken,
    dataFile,
    connectionFiles: options.writeConnectionFile ? connectionFiles : [],
    generatedToken: !given,
    close: () =>
      (closed ??= (async () => {
        clearInterval(purge);
        await app.close();
        db.close();
        if (options.writeConnectionFile) for (const file of connectionFiles) if (existsSync(file)) unlinkSync(file);
      })()),
  };
}

export type { FaultOptions } from "./http/faults";
export type { RateLimitOptions } from "./http/rate-limit";
