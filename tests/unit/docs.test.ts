/** The reference docs and JSON schemas are generated from the zod schemas and kept current. */
import * as fs from "node:fs";
import * as path from "node:path";
import { inputJsonSchema, resourcesMarkdown, schemaFiles } from "../../provider/schemas/docs";

const docs = path.join(__dirname, "..", "..", "docs");

describe("generated docs", () => {
  it("docs/resources.md is current (regenerate: npm run build && node scripts/gen-docs.js)", () => {
    expect(fs.readFileSync(path.join(docs, "resources.md"), "utf8")).toBe(resourcesMarkdown());
  });

  it("docs/schemas/*.json are current", () => {
    for (const [file, text] of Object.entries(schemaFiles())) {
      expect(fs.readFileSync(path.join(docs, "schemas", file), "utf8")).toBe(text);
    }
  });

  it("documents every input with its description, nested fields included", () => {
    const md = resourcesMarkdown();
    expect(md).toContain("| `admin.password` | string | yes |");
    expect(md).toContain("| `forwarding.onNoAnswer.destinations[].ringSeconds` | integer |");
    expect(md).toContain('`"userPortalAccess"`');
    expect(inputJsonSchema("Agent").required).toEqual(expect.arrayContaining(["tenantId", "account", "password"]));
  });
});
