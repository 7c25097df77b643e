/**
 * `check` for every kind: the zod schema turns bad inputs into `{ property, reason }` failures
 * before any request is sent. Property paths use Pulumi's notation: `keys[0].target`.
 *
 * During preview some inputs are still unknown (they come from resources not created yet). The
 * engine sends them as a sentinel string; a failure whose value is unknown (or lies under an
 * unknown value) is dropped, so preview never rejects what `up` would accept.
 */
import type { z } from "zod";
import type { CheckFailure, CheckResult } from "@pulumi/pulumi/dynamic";

/** The engine's stand-in for a value that is not known yet during preview. */
export const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (v: unknown): boolean => v === unknownSentinel;

/** True if the value or anything inside it is unknown. */
export function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/** Inputs the SDK adds beside the user's: not sent to the platform. */
export const controlKeys = ["__identity", "adopt"] as const;

export function propertyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number" || (typeof seg === "string" && /^\d+$/.test(seg))) out += `[${String(seg)}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** Walks a path into a value; stops at an unknown, which it returns. */
function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): { value: unknown; unknown: boolean } {
  let cur: unknown = root;
  for (const seg of path) {
    if (isUnknown(cur)) return { value: cur, unknown: true };
    if (cur === null || typeof cur !== "object") return { value: undefined, unknown: false };
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return { value: cur, unknown: isUnknown(cur) };
}

export interface CheckOptions {
  /** Kind-specific normalization of parsed inputs (e.g. defaults of credential settings). */
  normalize?: (data: Record<string, unknown>) => Record<string, unknown>;
  /** Rules beyond the schema; return failures with Pulumi property paths. */
  extra?: (news: Record<string, unknown>) => CheckFailure[];
}

/**
 * Validates `news` against the kind's input schema. Returns the normalized inputs (defaults applied)
 * when valid; the inputs as given when only unknown values stand in the way; failures otherwise.
 */
export function checkInputs(schema: z.ZodType, news: Record<string, unknown>, opts: CheckOptions = {}): CheckResult {
  const control: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(news ?? {})) {
    if (k === "__provider") continue;
    if ((controlKeys as readonly string[]).includes(k)) control[k] = v;
    else body[k] = v;
  }
  const failures: CheckFailure[] = [];
  if (control.adopt !== undefined && typeof control.adopt !== "boolean" && !isUnknown(control.adopt)) {
    failures.push({ property: "adopt", reason: "must be true or false" });
  }

  const asText = outputsAsText(body);
  for (const path of asText) {
    failures.push({
      property: path,
      reason:
        "is an Output turned into text (a template string or `+` around an Output gives Pulumi's warning text, not the value); " +
        "pass the Output itself, or build the text with pulumi.interpolate`…`",
    });
  }

  let parsed: ReturnType<z.ZodType["safeParse"]> | undefined;
  try {
    parsed = schema.safeParse(body);
  } catch {
    // A refinement met an unknown where it expected a value (e.g. an unknown credential kind).
    if (!containsUnknown(body)) throw new Error("input validation failed unexpectedly");
  }
  if (parsed && !parsed.success) {
    for (const issue of parsed.error.issues) {
      // The value is Pulumi's warning text: the failure above says what happened, not the schema's rule.
      if (asText.some((p) => propertyPath(issue.path).startsWith(p))) continue;
      failures.push(...toFailures(issue, body, schema));
    }
  }
  if (!parsed && !containsUnknown(body)) failures.push({ property: "", reason: "could not be validated" });
  failures.push(...(opts.extra?.(body) ?? []));
  const kept = dedupe(failures);

  if (kept.length > 0) return { inputs: news, failures: kept };
  if (!parsed?.success) return { inputs: news };
  const data = opts.normalize ? opts.normalize(parsed.data as Record<string, unknown>) : (parsed.data as Record<string, unknown>);
  return { inputs: { ...data, ...control } };
}

type Issue = z.core.$ZodIssue;

function toFailures(issue: Issue, body: Record<string, unknown>, schema: z.ZodType): CheckFailure[] {
  const at = valueAt(body, issue.path);
  if (at.unknown) return [];
  // A rule across fields reported on a parent whose children are partly unknown: not decidable yet.
  if (issue.code === "custom" && containsUnknown(at.value)) return [];

  if (issue.code === "unrecognized_keys") {
    const known = [...knownKeys(schema)];
    return issue.keys.map((key) => ({
      property: propertyPath([...issue.path, key]),
      reason: `is not a known property${suggest(key, known)}`,
    }));
  }
  return [{ property: propertyPath(issue.path), reason: reasonFor(issue, at.value) }];
}

function reasonFor(issue: Issue, value: unknown): string {
  if (value === undefined && issue.code === "invalid_type") return "is required";
  switch (issue.code) {
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}; got ${safeShow(value)}`;
    case "invalid_type":
      if (issue.expected === "int") return typeof value === "number" ? "must be a whole number" : `must be a whole number, not ${describeType(value)}`;
      return `must be ${article(issue.expected)}, not ${describeType(value)}`;
    case "too_small":
    case "too_big": {
      // zod's default wording ("Too small: expected number to be >=0") is replaced; custom messages stay.
      if (!/^Too (small|big)/.test(issue.message)) return issue.message;
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const dir = issue.code === "too_small" ? "at least" : "at most";
      const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
      return `must be ${dir} ${String(bound)}${unit}`;
    }
    default:
      return issue.message;
  }
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
const describeType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : article(typeof v));
/** Vocabulary values are never secrets; long strings are cut so a message stays readable. */
const safeShow = (v: unknown) => (typeof v === "string" ? JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v) : describeType(v));

/** Every property name declared anywhere in the schema, for "did you mean" suggestions. */
function knownKeys(schema: unknown, seen = new Set<unknown>(), out = new Set<string>()): Set<string> {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  if (!def || seen.has(schema)) return out;
  seen.add(schema);
  if (def.type === "object") {
    for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
      out.add(k);
      knownKeys(v, seen, out);
    }
  }
  for (const k of ["innerType", "element", "in", "out", "valueType"]) if (def[k]) knownKeys(def[k], seen, out);
  if (Array.isArray(def.options)) for (const o of def.options) knownKeys(o, seen, out);
  return out;
}

function suggest(key: string, known: string[]): string {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestScore) [best, bestScore] = [k, d];
  }
  return best && bestScore <= Math.max(2, Math.floor(key.length / 3)) ? `; did you mean "${best}"?` : "; remove it";
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function dedupe(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const key = `${f.property}\u0000${f.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What an Output's toString() returns (the start is stable across @pulumi/pulumi 3.x). */
const outputText = "Calling [toString] on an [Output<T>] is not supported";

/** Property paths of strings that hold an Output's toString() text. */
function outputsAsText(v: unknown, path: PropertyKey[] = []): string[] {
  if (typeof v === "string") return v.includes(outputText) ? [propertyPath(path)] : [];
  if (Array.isArray(v)) return v.flatMap((item, i) => outputsAsText(item, [...path, i]));
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, item]) => outputsAsText(item, [...path, k]));
  return [];
}
