/**
 * Every error is a problem document with the right status and a request id: the routes', Fastify's
 * own (body size, media type, bad percent-encoding, over-long parameters) and Node's (headers too
 * large, unparsable HTTP); undeclared methods on known paths are 405 with Allow; admin routes are
 * recognised on the decoded path; fault injection exists only on a platform started for it.
 */
import { connect } from "node:net";
import { startTestPlatform, tenantBody, type TestPlatform } from "../../support/platform";

const type = (name: string) => `https://omnitenant.dev/problems/${name}`;

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.dispose());

async function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(p.url + path, { method, headers: { authorization: `Bearer ${p.operatorToken}`, ...headers }, body });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Sends bytes on a bare socket and returns the status line, headers and JSON body of the answer. */
function onSocket(bytes: string): Promise<{ status: number; head: string; body: any }> {
  const u = new URL(p.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.write(bytes));
    let data = "";
    socket.on("data", (d) => (data += d.toString()));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head, body] = [data.slice(0, data.indexOf("\r\n\r\n")), data.slice(data.indexOf("\r\n\r\n") + 4)];
      resolve({ status: Number(head.split(" ")[1]), head, body: body ? JSON.parse(body) : undefined });
    });
  });
}

const expectProblem = (res: { status: number; type?: string | null; body: any }, status: number, name: string) => {
  expect({ status: res.status, type: res.body?.type }).toEqual({ status, type: type(name) });
  if (res.type !== undefined) expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body.requestId).toMatch(/^req_/);
};

describe("Fastify's own errors", () => {
  test("a body over the limit is 413", async () => {
    expectProblem(await raw("POST", "/v1/tenants", JSON.stringify({ companyName: "x".repeat(2 * 1024 * 1024) }), { "content-type": "application/json" }), 413, "payload-too-large");
  });

  test.each(["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x"])("a %s body is 415", async (media) => {
    expectProblem(await raw("POST", "/v1/tenants", "companyName=x", { "content-type": media }), 415, "unsupported-media-type");
  });

  test("malformed percent-encoding is a 400 problem that does not echo the path", async () => {
    const res = await raw("GET", "/v1/tenants/%E0%A4%A");
    expectProblem(res, 400, "invalid-request");
    expect(res.body.detail).not.toContain("%E0%A4%A");
  });

  test("an over-long path parameter is a 404 problem", async () => {
    expectProblem(await raw("GET", `/v1/tenants/ten_${"a".repeat(500)}`), 404, "not-found");
  });

  test("malformed JSON is a 400 problem", async () => {
    expectProblem(await raw("POST", "/v1/tenants", "{", { "content-type": "application/json" }), 400, "invalid-request");
  });
});

describe("Node's own rejections", () => {
  test("headers too large are a 431 problem", async () => {
    const res = await onSocket(`GET /v1/tenants HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(res.head).toMatch(/content-type: application\/problem\+json/i);
    expectProblem(res, 431, "headers-too-large");
  });

  test("unparsable HTTP is a 400 problem", async () => {
    const res = await onSocket("NOT HTTP AT ALL\r\n\r\n");
    expect(res.head).toMatch(/content-type: application\/problem\+json/i);
    expectProblem(res, 400, "invalid-request");
  });
});

describe("405 for a method a known path does not take", () => {
  test.each([
    ["PUT", "/v1/tenants", "POST, GET, HEAD"],
    ["DELETE", "/v1/openapi.json", "GET, HEAD"],
    ["POST", "/v1/tenants/ten_abcdef123/agents/agt_abcdef123", "GET, PATCH, DELETE, HEAD"],
    ["GET", "/v1/tenants/ten_abcdef123/changes/apply", "POST"],
    ["OPTIONS", "/v1/tenants", "POST, GET, HEAD"],
  ])("%s %s → 405 Allow: %s", async (method, path, allow) => {
    const res = await raw(method, path);
    expectProblem(res, 405, "method-not-allowed");
    expect(res.headers.get("allow")).toBe(allow);
  });
});

describe("admin routes and fault injection", () => {
  test("an encoded admin path is an admin request: never faulted, never counted", async () => {
    await raw("DELETE", "/v1/admin/stats");
    await raw("PUT", "/v1/admin/faults", JSON.stringify({ error500: 1 }), { "content-type": "application/json" });
    try {
      for (const path of ["/v1/%61dmin/stats", "/v1/admin/%73tats", "/v1/%61%64%6d%69%6e/faults"]) {
        const res = await raw("GET", path);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
      }
    } finally {
      await raw("PUT", "/v1/admin/faults", "{}", { "content-type": "application/json" });
    }
    const stats = await raw("GET", "/v1/admin/stats");
    expect(stats.body.requests.total).toBe(0);
    expect(stats.body.faults.error500).toBe(0);
  });

  test("an encoded admin path needs the operator token like the plain one", async () => {
    const tenant = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    const token = (await p.api("POST", `/v1/tenants/${tenant}/integrations`, { name: "t", kind: "apiToken", scopes: ["*"] })).body.token;
    const res = await fetch(`${p.url}/v1/%61dmin/faults`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: '{"error500":1}' });
    expect(res.status).toBe(403);
  });

  test("a platform not started for fault injection has no fault routes and injects nothing", async () => {
    const plain = await startTestPlatform({ faults: false });
    try {
      for (const method of ["GET", "PUT"]) {
        const res = await plain.api(method, "/v1/admin/faults", method === "PUT" ? { error500: 1 } : undefined);
        expect(res.status).toBe(404);
        expect(res.body.type).toBe(type("not-found"));
      }
      expect((await plain.api("GET", "/v1/tenants")).status).toBe(200);
      const doc = (await plain.api("GET", "/v1/openapi.json")).body;
      expect(doc.paths["/v1/admin/faults"]).toBeUndefined();
    } finally {
      await plain.dispose();
    }
  });
});

test("a malformed body is refused as such even with a stale If-Match (validation before the precondition)", async () => {
  const tenant = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
  const res = await p.api("PATCH", `/v1/tenants/${tenant}`, { capabilities: { maxWidgets: { nested: true } } }, { "if-match": '"999"' });
  expect(res.status).toBe(400);
  expect(res.body.type).toBe(type("invalid-request"));
});
