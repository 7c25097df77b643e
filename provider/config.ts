/**
 * Where the provider sends its requests, with which token, and how patiently.
 *
 * Precedence, per setting: what `configure` was given (the stack config `omnitenant:endpoint`,
 * `omnitenant:token`, or a test), then the environment (`OMNITENANT_ENDPOINT`, `OMNITENANT_TOKEN`),
 * then `.omnitenant/platform.json` written by a local platform, found from the working directory
 * upwards, then the local platform's default address. Resolved lazily and once: a dynamic provider
 * host serves many resources and must not re-read files per request.
 */
import * as fs from "fs";
import * as path from "path";
import { ExpectedRefusal } from "./errors";

export const defaultEndpoint = "http://127.0.0.1:4750";

export interface Settings {
  endpoint: string;
  token?: string;
  /** Where the endpoint came from, for error messages ("stack config omnitenant:endpoint", …). */
  endpointSource: string;
  tokenSource: string;
  /** Attempts per request, first one included. */
  maxAttempts: number;
  /** Per-attempt timeout (headers and body). */
  requestTimeoutMs: number;
  /** Base and cap of the jittered exponential backoff between attempts. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a staged change may wait for targets that another create of the deployment makes. */
  applyWaitMs: number;
}

export type SettingsOverrides = Partial<Pick<Settings, "endpoint" | "token" | "maxAttempts" | "requestTimeoutMs" | "retryBaseMs" | "retryMaxMs" | "applyWaitMs">>;

let overrides: SettingsOverrides = {};
let overrideSource = "provider configuration";
let resolved: Settings | undefined;

/** Sets settings explicitly (tests, lookups in the program process). Later calls win field by field. */
export function configure(values: SettingsOverrides, source = "provider configuration"): void {
  overrides = { ...overrides, ...stripUndefined(values) };
  overrideSource = source;
  resolved = undefined;
}

/** Forgets explicit settings and the cached resolution (tests). */
export function resetConfiguration(): void {
  overrides = {};
  resolved = undefined;
}

/** The `configure` hook of every dynamic provider: reads the stack config of the `omnitenant` namespace. */
export async function configureFromPulumi(config: { get(key: string): string | undefined }): Promise<void> {
  const num = (key: string) => {
    const v = config.get(`omnitenant:${key}`);
    return v === undefined || v === "" ? undefined : Number(v);
  };
  const token = config.get("omnitenant:token") || undefined;
  if (token) warnIfTokenInPlainText(token);
  configure(
    {
      endpoint: config.get("omnitenant:endpoint") || undefined,
      token: config.get("omnitenant:token") || undefined,
      maxAttempts: num("maxAttempts"),
      requestTimeoutMs: num("requestTimeoutMs"),
      applyWaitMs: num("applyWaitMs"),
    },
    "stack config",
  );
}

let tokenWarned = false;

/**
 * Warns once per provider process when the token is stored in plain text in a stack config file of
 * the program directory (the host's working directory): `config set` without `--secret` writes it
 * there readable, and into the state. The engine shows the host's output; the value is not printed.
 */
export function warnIfTokenInPlainText(token: string, dir = process.cwd()): boolean {
  if (tokenWarned) return false;
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f));
  } catch {
    return false;
  }
  for (const file of files) {
    let text = "";
    try {
      text = fs.readFileSync(path.join(dir, file), "utf8");
    } catch {
      continue;
    }
    // A plain value is the token itself on the key's line; a secret one is `secure: …` ciphertext.
    const line = text.split("\n").find((l) => /^\s*omnitenant:token:/.test(l));
    if (line && line.includes(token)) {
      tokenWarned = true;
      console.log(
        `warning: omnitenant:token is stored in plain text in ${file}, and so in the stack's state. ` +
          "Store it encrypted: `pulumi config set --secret omnitenant:token <token>`.",
      );
      return true;
    }
  }
  return false;
}

export function settings(): Settings {
  if (!resolved) resolved = resolve();
  return resolved;
}

/**
 * The platform to talk to, and where that came from: the given values (stack config), else
 * OMNITENANT_ENDPOINT / OMNITENANT_TOKEN, else the local platform's connection file found from `cwd`
 * upwards, else the default local address. Reseller automation resolves it the same way.
 */
export function resolveConnection(
  given: { endpoint?: string; token?: string },
  cwd = process.cwd(),
  givenSource = "the given",
): { endpoint: string; token?: string; endpointSource: string; tokenSource: string } {
  const env = process.env;
  const file = findConnectionFile(cwd);
  let endpoint = given.endpoint;
  let endpointSource = `${givenSource} omnitenant:endpoint`;
  if (!endpoint && env.OMNITENANT_ENDPOINT) [endpoint, endpointSource] = [env.OMNITENANT_ENDPOINT, "OMNITENANT_ENDPOINT"];
  if (!endpoint && file?.url) [endpoint, endpointSource] = [file.url, file.path];
  if (!endpoint) [endpoint, endpointSource] = [defaultEndpoint, "the default local platform address"];

  let token = given.token;
  let tokenSource = `${givenSource} omnitenant:token`;
  if (!token && env.OMNITENANT_TOKEN) [token, tokenSource] = [env.OMNITENANT_TOKEN, "OMNITENANT_TOKEN"];
  // The connection file's token only belongs to the platform the file describes.
  if (!token && file?.operatorToken && sameOrigin(file.url, endpoint)) [token, tokenSource] = [file.operatorToken, file.path];
  if (!token) tokenSource = "none";
  return { endpoint: endpoint.replace(/\/+$/, ""), token, endpointSource, tokenSource };
}

/** The endpoint's problem, naming the setting it came from; undefined when it is an http(s) URL. */
export function endpointProblem(endpoint: string, source: string): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === "http:" || url.protocol === "https:") && url.host) return undefined;
  return (
    `${source} is ${JSON.stringify(endpoint)}, which is not an http(s) URL. ` +
    "Give the platform's address with its scheme, e.g. `pulumi config set omnitenant:endpoint http://127.0.0.1:4750`."
  );
}

function resolve(): Settings {
  const env = process.env;
  const { endpoint, token, endpointSource, tokenSource } = resolveConnection(overrides, process.cwd(), overrideSource);
  const problem = endpointProblem(endpoint, endpointSource);
  if (problem) throw new ExpectedRefusal(problem);
  return {
    endpoint,
    token,
    endpointSource,
    tokenSource,
    maxAttempts: positive(overrides.maxAttempts ?? num(env.OMNITENANT_MAX_ATTEMPTS), 6),
    requestTimeoutMs: positive(overrides.requestTimeoutMs ?? num(env.OMNITENANT_REQUEST_TIMEOUT_MS), 30_000),
    retryBaseMs: positive(overrides.retryBaseMs ?? num(env.OMNITENANT_RETRY_BASE_MS), 100),
    retryMaxMs: positive(overrides.retryMaxMs ?? num(env.OMNITENANT_RETRY_MAX_MS), 5_000),
    applyWaitMs: positive(overrides.applyWaitMs ?? num(env.OMNITENANT_APPLY_WAIT_MS), 60_000),
  };
}

interface ConnectionFile {
  path: string;
  url?: string;
  operatorToken?: string;
}

/** `.omnitenant/platform.json` in the directory or its nearest ancestor that has one. */
export function findConnectionFile(from: string): ConnectionFile | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, ".omnitenant", "platform.json");
    try {
      const parsed = JSON.parse(fs.readFileSync(candidate, "utf8")) as { url?: unknown; operatorToken?: unknown };
      return {
        path: candidate,
        url: typeof parsed.url === "string" ? parsed.url : undefined,
        operatorToken: typeof parsed.operatorToken === "string" ? parsed.operatorToken : undefined,
      };
    } catch {
      // missing or unreadable: keep looking upwards
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function sameOrigin(a: string | undefined, b: string): boolean {
  try {
    return !!a && new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

const num = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number(v));
const positive = (v: number | undefined, fallback: number) => (v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback);

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
