/**
 * Reference documentation and JSON schemas of every resource kind, generated from the zod schemas
 * (their `.describe()` texts), so that nothing is written twice. `scripts/gen-docs.js` writes them
 * to docs/; a test fails when the committed files are out of date.
 */
import { z } from "zod";
import { kinds, type KindName } from "./index";

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
};

/** The JSON schema of a kind's inputs (what a program declares and `POST` accepts). */
export function inputJsonSchema(kind: KindName): JsonSchema & Record<string, unknown> {
  return z.toJSONSchema(kinds[kind].inputs, { io: "input", unrepresentable: "any" }) as JsonSchema & Record<string, unknown>;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
  if (s.anyOf) return s.anyOf.map(typeOf).join(" \\| ");
  if (s.type === "array") return `${s.items ? typeOf(s.items) : "any"}[]`;
  if (s.type === "object" && !s.properties) return "map";
  return Array.isArray(s.type) ? s.type.join(" \\| ") : (s.type ?? "any");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** One table row per field, nested objects flattened into dotted paths (`admin.password`). */
function rows(schema: JsonSchema, prefix = ""): string[] {
  const out: string[] = [];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${name}`;
    const required = schema.required?.includes(name) && field.default === undefined ? "yes" : "";
    const dflt = field.default === undefined ? "" : `\`${JSON.stringify(field.default)}\``;
    out.push(`| \`${path}\` | ${typeOf(field)} | ${required} | ${dflt} | ${cell(field.description ?? "")} |`);
    const nested = field.type === "array" ? field.items : field;
    if (nested?.properties) out.push(...rows(nested, field.type === "array" ? `${path}[].` : `${path}.`));
  }
  return out;
}

/** docs/resources.md: every kind, its REST path, natural key and input fields. */
export function resourcesMarkdown(): string {
  const parts = [
    "# Resource reference",
    "",
    "Generated from the zod schemas in `provider/schemas/` by `node scripts/gen-docs.js`; do not edit by hand.",
    "Each kind is a Pulumi resource `pulumi-nodejs:dynamic/omnitenant:<Kind>` (class `omnitenant.<Kind>`) and a",
    "collection of the platform API. JSON schemas of the inputs are in `docs/schemas/`.",
  ];
  for (const [name, spec] of Object.entries(kinds)) {
    const path = name === "Tenant" ? "/v1/tenants" : `/v1/tenants/{tenantId}/${spec.path}`;
    parts.push(
      "",
      `## ${name}`,
      "",
      `API: \`${path}\` · id: \`${spec.idField}\` · natural key: \`${spec.naturalKey}\`` +
        (spec.staged ? " · saved, then applied (save-then-apply)" : ""),
      "",
      "| input | type | required | default | description |",
      "|---|---|---|---|---|",
      ...rows(inputJsonSchema(name as KindName)),
    );
  }
  return parts.join("\n") + "\n";
}

/** docs/schemas/<Kind>.json contents, keyed by file name. */
export function schemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of Object.keys(kinds) as KindName[]) {
    files[`${name}.json`] = JSON.stringify(inputJsonSchema(name), null, 2) + "\n";
  }
  return files;
}
