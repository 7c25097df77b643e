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
  const dir = fs.readdirSync("/tmp").filter((d) => d.startsWith("omnitenant-pg-"));
  await pg.dispose();
  const after = fs.readdirSync("/tmp").filter((d) => d.startsWith("omnitenant-pg-"));
  expect(after.length).toBe(dir.length - 1);
});
