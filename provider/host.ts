/**
 * What runs in Pulumi's dynamic-provider host. The serialized provider of each kind
 * (sdk/provider-shim.ts) is a bare `configure`, which calls `attach` here to put the kind's methods,
 * wrapped, on the revived object, then applies the stack config. The wrapping shapes what the
 * engine prints:
 *
 * - Check failures are returned without a property name. The engine prints a failure that names a
 *   property as `property <name> value <value> has a problem: …`, with the value of that top-level
 *   input — a password in plain text (`{&{{abcdef}}}`), or `{<nil>}` for any nested path. Without a
 *   property it prints only the reason, so the path goes at the start of the reason instead (`admin.password: must be …`).
 * - An expected refusal (the platform said no, deletion protection, bad configuration) is printed by
 *   the engine once, as the operation's error. The host would also write it, with a stack trace, to
 *   its stderr, which the engine shows as well: that one line is dropped.
 */
import type { CheckFailure, CheckResult, ConfigureRequest, ResourceProvider } from "@pulumi/pulumi/dynamic";
import { configureFromPulumi } from "./config";
import { isExpected } from "./errors";

type Method = "check" | "diff" | "create" | "read" | "update" | "delete";
type Methods = Partial<Record<Method, (...a: unknown[]) => Promise<unknown>>>;
const methods: readonly Method[] = ["check", "diff", "create", "read", "update", "delete"];

/** Lines the host is about to write to stderr for an error already reported to the engine. */
const silenced = new Set<string>();
let installed = false;

function silenceHostEcho(err: Error): void {
  if (!installed) {
    installed = true;
    const original = console.error.bind(console);
    console.error = (...args: unknown[]) => {
      if (args.length === 1 && typeof args[0] === "string" && silenced.delete(args[0])) return;
      original(...args);
    };
  }
  // The host writes exactly `${e}: ${e.stack}` for check, diff, read and delete.
  silenced.add(`${err}: ${err.stack}`);
}

export function readableFailures(failures: readonly CheckFailure[]): CheckFailure[] {
  return failures.map((f) => ({ property: "", reason: f.property ? `${f.property}: ${f.reason}` : f.reason }));
}

/** Calls one method of a kind's provider (any provider object: its methods take their own argument types). */
export async function call(provider: object, method: Method, args: unknown[]): Promise<unknown> {
  try {
    const result = await (provider as Methods)[method]!(...args);
    if (method === "check" && (result as CheckResult)?.failures?.length) {
      return { ...(result as CheckResult), failures: readableFailures((result as CheckResult).failures!) };
    }
    return result;
  } catch (err) {
    if (err instanceof Error && isExpected(err)) silenceHostEcho(err);
    throw err;
  }
}

/**
 * Puts the methods of `of` (`<file>#<export>` under dist/provider) on the revived provider, then
 * configures. The methods are in place before `configure` first awaits, so a call that finds the
 * object in the host's cache while configure is still running finds them too.
 */
export function attach(target: ResourceProvider, of: string, req: ConfigureRequest): Promise<void> {
  const [file, exportName] = of.split("#");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const real = require(`./${file}`)[exportName] as Methods;
  const writable = target as unknown as Record<string, unknown>;
  for (const m of methods) if (real[m]) writable[m] = (...args: unknown[]) => call(real, m, args);
  return configureFromPulumi(req.config);
}
