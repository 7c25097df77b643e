import { startTestPlatform, type TestPlatform } from "../support/platform";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.dispose());

const children = ["agents", "queues", "extensions", "user-groups", "incoming-numbers", "integrations"];
const expected: Array<[string, string]> = [
  ["post", "/v1/tenants"], ["get", "/v1/tenants"], ["get", "/v1/tenants/{tenantId}"], ["patch", "/v1/tenants/{tenantId}"], ["delete", "/v1/tenants/{tenantId}"],
  ...children.flatMap((c): Array<[string, string]> => [
    ["post", `/v1/tenants/{tenantId}/${c}`], ["get", `/v1/tenants/{tenantId}/${c}`],
    ["get", `/v1/tenants/{tenantId}/${c}/{id}`], ["patch", `/v1/tenants/{tenantId}/${c}/{id}`], ["delete", `/v1/tenants/{tenantId}/${c}/{id}`],
  ]),
  ["get", "/v1/tenants/{tenantId}/changes"], ["post", "/v1/tenants/{tenantId}/changes/apply"], ["delete", "/v1/tenants/{tenantId}/changes/{id}"],
  ["get", "/v1/admin/faults"], ["put", "/v1/admin/faults"], ["get", "/v1/admin/stats"], ["delete", "/v1/admin/stats"],
  ["get", "/v1/openapi.json"],
];

test("OpenAPI 3.1 lists every route, unauthenticated, with bodies and problem responses from the schemas", async () => {
  const res = await fetch(`${p.url}/v1/openapi.json`);
  expect(res.status).toBe(200);
  const doc = (await res.json()) as any;
  expect(doc.openapi).toBe("3.1.0");
  const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
  expect(listed.sort()).toEqual(expected.map(([m, path]) => `${m} ${path}`).sort());
  const createExt = doc.paths["/v1/tenants/{tenantId}/extensions"].post;
  expect(createExt.requestBody.content["application/json"].schema.properties.number.pattern).toBeTruthy();
  expect(createExt.responses["201"].content["application/json"].schema.properties.sip).toBeTruthy();
  expect(createExt.responses["409"].content["application/problem+json"]).toBeTruthy();
  expect(createExt.parameters.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(["tenantId", "Idempotency-Key"]));
  expect(doc.paths["/v1/tenants/{tenantId}/agents"].get.parameters.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(["limit", "cursor", "account"]));
  expect(doc.paths["/v1/tenants/{tenantId}/extensions/{id}"].get.parameters.map((x: { name: string }) => x.name)).toContain("view");
  expect(doc.paths["/v1/tenants/{tenantId}/agents/{id}"].patch.parameters.map((x: { name: string }) => x.name)).toContain("If-Match");
  const withdraw = doc.paths["/v1/tenants/{tenantId}/changes/{id}"].delete;
  expect(withdraw.parameters.map((x: { name: string }) => x.name)).toEqual(["tenantId", "id", "If-Match"]);
  expect(Object.keys(withdraw.responses).sort()).toEqual(["200", "401", "403", "404", "409", "412", "429", "default"]);
  // A staged kind's create links to the withdrawal of its pending change; a kind never staged does not.
  expect(createExt.responses["201"].links.withdrawChange).toEqual(expect.objectContaining({ operationId: "withdrawChange", parameters: { tenantId: "$request.path.tenantId", id: "$response.body#/extensionId" } }));
  expect(doc.paths["/v1/tenants/{tenantId}/agents"].post.responses["201"].links.withdrawChange).toBeUndefined();
});

test("every documented route answers (none is a 404 from the router)", async () => {
  const doc = (await (await fetch(`${p.url}/v1/openapi.json`)).json()) as any;
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) {
      const url = path.replace("{tenantId}", "ten_unknown0001").replace("{id}", "xyz_unknown0001");
      const res = await fetch(p.url + url, { method: method.toUpperCase(), headers: { authorization: `Bearer ${p.operatorToken}` } });
      const body = (await res.json().catch(() => ({}))) as { detail?: string };
      // The router's own 404 says "No route"; a handler's 404 (unknown tenant) does not.
      expect({ route: `${method} ${path}`, router404: String(body.detail ?? "").startsWith("No route") }).toEqual({ route: `${method} ${path}`, router404: false });
    }
  }
  const res = await fetch(`${p.url}/v1/nope`, { headers: { authorization: `Bearer ${p.operatorToken}` } });
  expect(res.status).toBe(404);
  expect(((await res.json()) as { detail: string }).detail).toMatch(/^No route/);
});
