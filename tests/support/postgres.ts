/**
 * A private PostgreSQL server for tests: `initdb` in a temporary folder, `postgres` on a free
 * port, stopped and removed by `dispose()`. initdb refuses to run as root, so as root (CI) the
 * server runs as the `postgres` system user, which owns the folder.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";

export interface TestPostgres {
  /** `postgres://user:password@127.0.0.1:port/db` of a fresh database. */
  url: string;
  port: number;
  user: string;
  password: string;
  /** The temporary folder holding the cluster, its socket and its log. */
  dir: string;
  /** A URL to another fresh database on the same server. */
  createDatabase(name: string): Promise<string>;
  dispose(): Promise<void>;
}

/** The directory holding initdb/pg_ctl: PATH first, then Debian's versioned directories. */
export function findPostgresBin(): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter)];
  const debian = "/usr/lib/postgresql";
  if (fs.existsSync(debian)) {
    for (const v of fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a))) dirs.push(path.join(debian, v, "bin"));
  }
  return dirs.find((d) => d && fs.existsSync(path.join(d, "initdb")) && fs.existsSync(path.join(d, "pg_ctl")));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL (initdb, pg_ctl) is not installed: npm test installs it; or apt-get install -y postgresql");
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "omnitenant-pg-"));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, "data");
  const user = "omnitenant";
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const pwfile = path.join(dir, "pwfile");
  fs.writeFileSync(pwfile, password, { mode: 0o600 });
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  const runAs = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    const r = spawnSync(file, argv, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  runAs("initdb", ["-D", data, "-U", user, "--pwfile", pwfile, "-A", "scram-sha-256", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  // Unix sockets in the private folder; fsync off: test data need not survive a power cut.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  runAs("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"]);
  const base = `postgres://${user}:${password}@127.0.0.1:${port}`;
  const stop = () => {
    try {
      runAs("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const createDatabase = async (name: string) => {
    const client = new Client({ connectionString: `${base}/postgres` });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
    } finally {
      await client.end();
    }
    return `${base}/${name}`;
  };
  let url: string;
  try {
    url = await createDatabase("omnitenant");
  } catch (err) {
    stop();
    throw err;
  }
  return {
    url,
    dir,
    port,
    user,
    password,
    createDatabase,
    dispose: async () => stop(),
  };
}
