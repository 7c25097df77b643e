/**
 * Fleet set-up errors against a real PostgreSQL: each names the URL without its password, carries
 * a stable code and the flag to fix, and nothing is queued or deployed.
 */
import { spawnSync } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { checkDatabase, FleetError, lockStack, redactUrl } from "../../automation/fleet-db";
import { openQueue } from "../../automation/fleet-queue";
import { startWorker } from "../../automation/fleet-worker";
import { startTestPostgres, type TestPostgres } from "../support/postgres";

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
}, 60_000);
afterAll(async () => pg?.dispose());

async function failure(p: Promise<unknown>): Promise<FleetError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FleetError);
  return err as FleetError;
}

const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

test("an unreachable database is named, without its password", async () => {
  const url = `postgres://omnitenant:s3cret-pw@127.0.0.1:${await closedPort()}/omnitenant`;
  const err = await failure(checkDatabase(url, "--backend"));
  expect(err.code).toBe("database.unreachable");
  expect(err.field).toBe("--backend");
  expect(err.message).toContain(`127.0.0.1`);
  expect(err.message).not.toContain("s3cret-pw");
});

test("a wrong password is told apart from an unreachable server", async () => {
  const url = pg.url.replace(`:${pg.password}@`, ":not-the-password@");
  const err = await failure(checkDatabase(url, "--queue"));
  expect(err.code).toBe("database.auth");
  expect(err.message).toContain(redactUrl(url));
  expect(err.message).not.toContain("not-the-password");
  expect(err.message).not.toContain(pg.password);
});

test("a database that does not exist, and a queue schema that was never installed", async () => {
  const missing = pg.url.replace(/\/omnitenant$/, "/no_such_db");
  expect((await failure(checkDatabase(missing, "--backend"))).code).toBe("database.missing");
  const err = await failure(openQueue(`${pg.url}?schema=never_installed`, { install: false }));
  expect(err.code).toBe("database.schema-missing");
  expect(err.message).toContain("never_installed");
  expect(err.message).not.toContain(pg.password);
  // A worker refuses to start on it, and says the same.
  const worker = await failure(startWorker({ queueUrl: `${pg.url}?schema=never_installed`, backendUrl: pg.url, endpoint: "http://127.0.0.1:1", token: "t" }));
  expect(worker.code).toBe("database.schema-missing");
});

test("a customer's stack lock is held by one session at a time and freed when that session ends", async () => {
  const first = await lockStack(pg.url, "--backend", "proj/cust-01");
  expect(first).toBeDefined();
  expect(await lockStack(pg.url, "--backend", "proj/cust-01")).toBeUndefined();
  const other = await lockStack(pg.url, "--backend", "proj/cust-02");
  expect(other).toBeDefined();
  await first!.release();
  const again = await lockStack(pg.url, "--backend", "proj/cust-01");
  expect(again).toBeDefined();
  await again!.release();
  await other!.release();
});

test("omnitenant worker exits 2 naming the database without its password; provision refuses a queue without a shared backend", () => {
  const bin = path.join(__dirname, "..", "..", "bin", "omnitenant.js");
  const queue = `${pg.url}?schema=not_there`;
  const worker = spawnSync(process.execPath, [bin, "worker", "--queue", queue, "--backend", pg.url], { encoding: "utf8", env: { ...process.env, OMNITENANT_ENDPOINT: "http://127.0.0.1:1", OMNITENANT_TOKEN: "t" } });
  expect(worker.status).toBe(2);
  expect(worker.stderr).toMatch(/omnitenant worker: --queue: the queue's schema "not_there" does not exist/);
  expect(worker.stderr).not.toContain(pg.password);
  const provision = spawnSync(process.execPath, [bin, "provision", path.join(__dirname, "..", "..", "examples", "reseller", "catalogue.yaml"), "--queue", pg.url, "--backend", "file:///tmp/x"], { encoding: "utf8" });
  expect(provision.status).toBe(2);
  expect(provision.stderr).toContain("--queue needs a backend the workers share");
});
