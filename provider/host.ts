/**
 * What runs in Pulumi's dynamic-provider host: the serialized provider of each kind (sdk/provider-shim.ts)
 * is a bare `configure`, which calls `attach` here to put the kind's methods on the revived object,
 * then applies the stack config.
 */
import type { ConfigureRequest, ResourceProvider } from "@pulumi/pulumi/dynamic";
import { configureFromPulumi } from "./config";

type Method = "check" | "diff" | "create" | "read" | "update" | "delete";
const methods: readonly Method[] = ["check", "diff", "create", "read", "update", "delete"];

/**
 * Copies the methods of `of` (`<file>#<export>` under dist/provider) onto the revived provider, then
 * configures. The methods are in place before `configure` first awaits, so a call that finds the
 * object in the host's cache while configure is still running finds them too.
 */
export function attach(target: ResourceProvider, of: string, req: ConfigureRequest): Promise<void> {
  const [file, exportName] = of.split("#");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const real = require(`./${file}`)[exportName] as Partial<Record<Method, (...a: unknown[]) => Promise<unknown>>>;
  const writable = target as unknown as Record<string, unknown>;
  for (const m of methods) if (real[m]) writable[m] = real[m];
  return configureFromPulumi(req.config);
}
