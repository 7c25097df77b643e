/**
 * Policy config as the policies read it. The engine validates config against each policy's
 * configSchema and fills in top-level defaults, but it checks only `properties` and `required`
 * (a misspelt key passes) and cannot check what JSON schema cannot say (a regular expression that
 * does not compile). So each policy also reads its config through here, which applies the schema
 * defaults (for runs outside the engine, such as unit tests), refuses unknown keys, and names the
 * policy and the key in every error.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

export interface SchemaFile {
  policies: Record<string, { properties: Record<string, unknown>; required?: string[] }>;
}

/** The configSchema of one policy from a generated config-schema.json. */
export function schemaOf(file: SchemaFile, policy: string): PolicyConfigSchema {
  const schema = file.policies[policy];
  if (!schema) throw new Error(`config-schema.json has no entry for policy "${policy}": run node scripts/gen-policy-schemas.mjs`);
  return schema as PolicyConfigSchema;
}

export class PolicyConfigError extends Error {
  constructor(policy: string, problem: string) {
    super(`invalid config for policy "${policy}": ${problem}`);
    this.name = "PolicyConfigError";
  }
}

/** The policy's config with schema defaults applied; throws PolicyConfigError on an unknown key. */
export function readConfig<T extends object>(policy: string, schema: PolicyConfigSchema, given: object): Readonly<Required<T>> {
  const props = schema.properties as Record<string, { default?: unknown }>;
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(props)) {
    if (prop.default !== undefined) out[key] = prop.default; // shared, never mutated: policies only read config
  }
  for (const [key, value] of Object.entries(given)) {
    if (key === "enforcementLevel") continue;
    if (!(key in props)) {
      const known = Object.keys(props);
      throw new PolicyConfigError(
        policy,
        `unknown property "${key}"; ${known.length ? `it takes ${known.map((k) => `"${k}"`).join(", ")}` : "it takes no parameters, only enforcementLevel"}`,
      );
    }
    if (value !== undefined) out[key] = value;
  }
  return out as Required<T>;
}

/** A regular expression from config; a clear error instead of a SyntaxError from deep inside a policy. */
export function configRegExp(policy: string, key: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new PolicyConfigError(policy, `"${key}" is not a valid regular expression (${JSON.stringify(source)}): ${(e as Error).message}`);
  }
}
