/**
 * How the policies see omnitenant resources: type tokens, raw property access that tells unknown
 * values apart instead of throwing, and how a resource is named in a violation message.
 */
import type { KindName } from "../../provider/schemas";

export const typeToken = (kind: KindName): string => `pulumi-nodejs:dynamic/omnitenant:${kind}`;

/** The kind of an omnitenant type token, or undefined for any other resource. */
export function kindOf(type: string): KindName | undefined {
  const prefix = "pulumi-nodejs:dynamic/omnitenant:";
  return type.startsWith(prefix) ? (type.slice(prefix.length) as KindName) : undefined;
}

/*
 * @pulumi/policy wraps props in a proxy that throws on an unknown value (its `unknownCheckingProxy`)
 * and fails the whole policy as "can't run during preview". The policies here must decide during a
 * preview, so they read the proxy's target and test for the sentinels themselves. Both are internal
 * to @pulumi/policy (stripped from its typings), hence the require.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
  getSpecialProxyTarget: string;
  unknownBooleanValue: string;
  unknownNumberValue: string;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownAssetValue: string;
  unknownArchiveValue: string;
  unknownObjectValue: string;
};

const sentinels = new Set<unknown>([
  proxy.unknownBooleanValue,
  proxy.unknownNumberValue,
  proxy.unknownStringValue,
  proxy.unknownArrayValue,
  proxy.unknownAssetValue,
  proxy.unknownArchiveValue,
  proxy.unknownObjectValue,
]);

/** A value the engine does not know yet (an output of a resource that is still to be created). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Maybe<T> = T | typeof UNKNOWN | undefined;

export const isUnknown = (v: unknown): boolean => typeof v === "string" && sentinels.has(v);

/** The plain props behind the analyzer's proxy (or the object itself when it is not proxied). */
export function rawProps(props: Record<string, unknown>): Record<string, unknown> {
  const target = (props as Record<string, unknown>)[proxy.getSpecialProxyTarget];
  return (target as Record<string, unknown> | undefined) ?? props;
}

/**
 * The value at a path in raw props: UNKNOWN when it or a parent is unknown, undefined when absent.
 * Arrays are returned with unknown elements kept as UNKNOWN.
 */
export function at(props: Record<string, unknown>, ...path: string[]): unknown {
  let v: unknown = props;
  for (const key of path) {
    if (isUnknown(v)) return UNKNOWN;
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  if (isUnknown(v)) return UNKNOWN;
  if (Array.isArray(v)) return v.map((e) => (isUnknown(e) ? UNKNOWN : e));
  return v;
}

/** A string at a path, UNKNOWN, or undefined when absent or not a string. */
export function str(props: Record<string, unknown>, ...path: string[]): Maybe<string> {
  const v = at(props, ...path);
  return v === UNKNOWN || typeof v === "string" ? (v as Maybe<string>) : undefined;
}

/** A list of strings, UNKNOWN when the list or any element is unknown, undefined when absent. */
export function strings(props: Record<string, unknown>, ...path: string[]): Maybe<string[]> {
  const v = at(props, ...path);
  if (v === UNKNOWN) return UNKNOWN;
  if (!Array.isArray(v)) return undefined;
  if (v.some((e) => e === UNKNOWN)) return UNKNOWN;
  return v.filter((e): e is string => typeof e === "string");
}

/** A number at a path, UNKNOWN, or undefined. */
export function num(props: Record<string, unknown>, ...path: string[]): Maybe<number> {
  const v = at(props, ...path);
  return v === UNKNOWN || typeof v === "number" ? (v as Maybe<number>) : undefined;
}

/** Just enough of a resource to name it: both policy arg shapes have these. */
export interface Named {
  type: string;
  name: string;
  urn: string;
}

/** `Agent "support-jane"` — the kind and the Pulumi resource name, as a user wrote it. */
export function describe(r: Named): string {
  const kind = kindOf(r.type);
  return `${kind ? `omnitenant:${kind}` : r.type} "${r.name}"`;
}

/** A value in a message: JSON, so strings are quoted and lists are readable. */
export const show = (v: unknown): string => JSON.stringify(v);
