/**
 * The local platform as a background process for the quickstart and for users: started once,
 * found again through the connection file it writes (`<dataDir>/platform.json`), stopped on demand.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cli = require("omnitenant/scripts/pulumi-cli");

export interface LocalPlatform {
  url: string;
  operatorToken: string;
  pid: number;
  logFile: string;
}

interface ConnectionFile {
  url: string;
  operatorToken: string;
  pid: number;
}

const binary = path.join(cli.repoRoot, "bin", "omnitenant.js");

function readConnection(dataDir: string): ConnectionFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, "platform.json"), "utf8")) as ConnectionFile;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function responds(conn: ConnectionFile): Promise<boolean> {
  try {
    const res = await fetch(`${conn.url}/v1/tenants?limit=1`, { headers: { authorization: `Bearer ${conn.operatorToken}` } });
    return res.ok;
  } catch {
    return false;
  }
}

/** Returns the running local platform of dataDir, starting it in the background if needed. */
export async function ensureLocalPlatform(options: { dataDir: string; port?: number; log?: (line: string) => void }): Promise<LocalPlatform> {
  const { dataDir } = options;
  const logFile = path.join(dataDir, "platform.log");
  const existing = readConnection(dataDir);
  if (existing && alive(existing.pid) && (await responds(existing))) return { ...existing, logFile };

  fs.mkdirSync(dataDir, { recursive: true });
  fs.rmSync(path.join(dataDir, "platform.json"), { force: true });
  const port = options.port ?? Number(process.env.OMNITENANT_PORT ?? 4750);
  options.log?.(`omnitenant: starting the local platform on port ${port} (log: ${logFile})`);
  const out = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, [binary, "platform", "--port", String(port), "--data", path.join(dataDir, "platform.db")], {
    detached: true,
    stdio: ["ignore", out, out],
  });
  child.unref();
  fs.closeSync(out);

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const conn = readConnection(dataDir);
    if (conn && (await responds(conn))) return { ...conn, logFile };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n") : "";
  throw new Error(
    `the local platform did not start on port ${port}. Its log (${logFile}) ends with:\n${tail}\n` +
      `If the port is taken, set OMNITENANT_PORT to a free one.`,
  );
}

/** Stops the local platform of dataDir, if it runs. */
export async function stopLocalPlatform(options: { dataDir: string }): Promise<void> {
  const conn = readConnection(options.dataDir);
  if (!conn || !alive(conn.pid)) return;
  process.kill(conn.pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (alive(conn.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
