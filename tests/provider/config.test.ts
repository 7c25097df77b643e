/** Provider configuration precedence, and the error hierarchy's mapping and scrubbing. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { configure, configureFromPulumi, defaultEndpoint, resetConfiguration, settings } from "../../provider/config";
import { ConflictError, errorFromResponse, NotFoundError, PreconditionError, QuotaError, RateLimitError, ServerError, ValidationError } from "../../provider/errors";
import { backoffMs } from "../../provider/retry";
import { retryAfterMs } from "../../provider/client";

const saved = { ...process.env };
const cwd = process.cwd();
afterEach(() => {
  process.env = { ...saved };
  process.chdir(cwd);
  resetConfiguration();
});

describe("configuration", () => {
  test("stack config wins over the environment, which wins over the connection file, then the default", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "omni-config-"));
    fs.mkdirSync(path.join(dir, ".omnitenant"));
    fs.writeFileSync(path.join(dir, ".omnitenant", "platform.json"), JSON.stringify({ url: "http://127.0.0.1:4999", operatorToken: "omo_file", pid: 1 }));
    fs.mkdirSync(path.join(dir, "program", "deep"), { recursive: true });
    process.chdir(path.join(dir, "program", "deep"));
    delete process.env.OMNITENANT_ENDPOINT;
    delete process.env.OMNITENANT_TOKEN;
    resetConfiguration();
    expect(settings()).toMatchObject({ endpoint: "http://127.0.0.1:4999", token: "omo_file" });

    process.env.OMNITENANT_ENDPOINT = "http://env.example.com:1/";
    process.env.OMNITENANT_TOKEN = "env-token";
    resetConfiguration();
    expect(settings()).toMatchObject({ endpoint: "http://env.example.com:1", token: "env-token", endpointSource: "OMNITENANT_ENDPOINT" });

    await configureFromPulumi({ get: (k) => ({ "omnitenant:endpoint": "https://api.example.com", "omnitenant:token": "stack-token" })[k] });
    expect(settings()).toMatchObject({ endpoint: "https://api.example.com", token: "stack-token", endpointSource: "stack config omnitenant:endpoint" });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the connection file's token is not sent to another endpoint; the default is the local platform", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "omni-config-"));
    process.chdir(dir);
    delete process.env.OMNITENANT_ENDPOINT;
    delete process.env.OMNITENANT_TOKEN;
    resetConfiguration();
    expect(settings()).toMatchObject({ endpoint: defaultEndpoint, token: undefined });
    configure({ endpoint: "https://other.example.com" });
    expect(settings().token).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("attempts, timeouts and the apply wait are configurable from the environment", () => {
    process.env.OMNITENANT_MAX_ATTEMPTS = "3";
    process.env.OMNITENANT_REQUEST_TIMEOUT_MS = "1234";
    process.env.OMNITENANT_APPLY_WAIT_MS = "999";
    resetConfiguration();
    expect(settings()).toMatchObject({ maxAttempts: 3, requestTimeoutMs: 1234, applyWaitMs: 999 });
  });
});

describe("errors and retry policy", () => {
  const req = { method: "POST", path: "/v1/tenants/ten_x/agents" };
  const problem = (type: string, extra: object = {}) => ({ type: `https://omnitenant.dev/problems/${type}`, title: "t", detail: "d", errors: [{ path: "keys.0.target", message: "bad" }], requestId: "req_1", ...extra });

  test.each([
    [409, "conflict", ConflictError],
    [422, "quota-exceeded", QuotaError],
    [422, "validation-failed", ValidationError],
    [404, "not-found", NotFoundError],
    [412, "precondition-failed", PreconditionError],
    [429, "rate-limited", RateLimitError],
    [503, "unavailable", ServerError],
  ])("%i %s maps to its class with status, type, request id, method and path", (status, type, Cls) => {
    const err = errorFromResponse(status, problem(type), req);
    expect(err).toBeInstanceOf(Cls);
    expect(err).toMatchObject({ status, type, requestId: "req_1", method: "POST", path: req.path });
    expect(err.errors).toEqual([{ path: "keys[0].target", message: "bad" }]);
    expect(err.message).toMatch(/POST \/v1\/tenants\/ten_x\/agents failed with/);
  });

  test("secret values are scrubbed from messages", () => {
    const err = errorFromResponse(422, problem("validation-failed", { detail: "password hunter22 is weak" }), { ...req, secrets: ["hunter22"] });
    expect(err.message).not.toContain("hunter22");
    expect(err.detail).not.toContain("hunter22");
  });

  test("backoff is capped and jittered; Retry-After reads seconds and dates", () => {
    for (let i = 1; i < 20; i++) {
      const d = backoffMs(i, 100, 5_000);
      expect(d).toBeGreaterThanOrEqual(Math.min(5_000, 100 * 2 ** (i - 1)) / 2);
      expect(d).toBeLessThanOrEqual(5_000);
    }
    expect(retryAfterMs("2")).toBe(2_000);
    expect(retryAfterMs(new Date(Date.now() + 3_000).toUTCString())).toBeGreaterThan(1_000);
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
