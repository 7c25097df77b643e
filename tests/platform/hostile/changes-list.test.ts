/** /changes pages like every other list, and rejects unknown query parameters like every other list. */
import { startTestPlatform, tenantBody, type TestPlatform } from "../../support/platform";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.dispose());

test("pending changes come a page at a time, every change exactly once", async () => {
  const t = (await p.api("POST", "/v1/tenants", tenantBody({ capabilities: { maxAgents: 5, diskQuotaGb: 1, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 1, maxExtensions: 20 } }))).body.tenantId;
  for (let i = 0; i < 7; i++) expect((await p.api("POST", `/v1/tenants/${t}/extensions`, { number: String(200 + i), name: `e${i}` })).status).toBe(201);
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: { status: number; body: { items: Array<{ objectId: string }>; nextCursor: string | null } } = await p.api("GET", `/v1/tenants/${t}/changes?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(3);
    seen.push(...res.body.items.map((c) => c.objectId));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor);
  expect(pages).toBe(3);
  expect(new Set(seen).size).toBe(7);
});

test.each(["colour=blue", "limit=0", "limit=501", "limit=abc", "cursor=not-a-cursor"])("?%s is a 400 on /changes, as on every list", async (query) => {
  const t = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
  for (const path of [`/v1/tenants/${t}/changes`, `/v1/tenants/${t}/agents`, "/v1/tenants"]) {
    const res = await p.api("GET", `${path}?${query}`);
    expect({ path, status: res.status, type: res.body.type }).toEqual({ path, status: 400, type: "https://omnitenant.dev/problems/invalid-request" });
  }
});
