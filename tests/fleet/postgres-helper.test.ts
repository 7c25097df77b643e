/** The private PostgreSQL the fleet tests run on: it starts, takes connections, and goes away. */
import * as fs from "node:fs";
import { Client } from "pg";
import { startTestPostgres } from "../support/postgres";

test("a private PostgreSQL starts on a free port, serves queries, and is removed by dispose", async () => {
  const pg = await startTestPostgres();
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  const { rows } = await client.query("select current_user as who, current_setting('server_version_num')::int as version");
  await client.end();
  expect(rows[0].who).toBe(pg.user);
  expect(rows[0].version).toBeGreaterThanOrEqual(150000);
  expect(fs.existsSync(pg.dir)).toBe(true);
  await pg.dispose();
  expect(fs.existsSync(pg.dir)).toBe(false);
  // The server is gone: a new connection is refused.
  const again = new Client({ connectionString: pg.url });
  await expect(again.connect()).rejects.toThrow();
});
