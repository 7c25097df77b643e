/**
 * The report as SARIF 2.1.0, for CI systems and code-scanning dashboards: one run per policy pack,
 * one rule per policy (with its description and default level), one result per violation located
 * at the resource's URN. Levels: mandatory → error, advisory → warning, remediate → note (the
 * policy fixed the value), disabled → none.
 */
import type { PolicyRule } from "./catalog";
import type { Level, PolicyReport } from "./model";

const sarifLevel: Record<Level, "error" | "warning" | "note" | "none"> = { mandatory: "error", advisory: "warning", remediate: "note", disabled: "none" };

export const sarifSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

export function renderSarif(r: PolicyReport, catalog: Record<string, PolicyRule[]>): string {
  const packs = r.packs.length > 0 ? r.packs : Object.keys(catalog).map((name) => ({ name, version: "0.0.0" }));
  const runs = packs.map((pack, i) => {
    const rules = [...(catalog[pack.name] ?? [])];
    const violations = r.violations.filter((v) => v.pack === pack.name);
    // A policy the engine reported that this build does not know (a newer pack) still gets a rule.
    for (const v of violations) {
      if (!rules.some((rule) => rule.name === v.policy)) rules.push({ name: v.policy, description: v.description, enforcementLevel: v.level });
    }
    return {
      tool: {
        driver: {
          name: `omnitenant/${pack.name}`,
          version: pack.version,
          rules: rules.map((rule) => ({
            id: rule.name,
            name: rule.name,
            shortDescription: { text: rule.description },
            fullDescription: { text: rule.description },
            defaultConfiguration: { level: sarifLevel[rule.enforcementLevel], enabled: rule.enforcementLevel !== "disabled" },
            properties: { enforcementLevel: rule.enforcementLevel },
          })),
        },
      },
      automationDetails: { id: `${r.target.project ?? "omnitenant"}/${r.target.stack}/${pack.name}` },
      invocations: [
        {
          executionSuccessful: r.errors.length === 0,
          endTimeUtc: r.generatedAt,
          toolExecutionNotifications: i === 0 ? r.errors.map((e) => ({ level: "error" as const, message: { text: e } })) : [],
        },
      ],
      results: violations.map((v) => ({
        ruleId: v.policy,
        ruleIndex: rules.findIndex((rule) => rule.name === v.policy),
        level: sarifLevel[v.level],
        message: { text: v.message },
        ...(v.urn
          ? {
              locations: [
                {
                  physicalLocation: { artifactLocation: { uri: v.urn } },
                  logicalLocations: [{ fullyQualifiedName: v.urn, name: v.resource?.name, kind: "resource" }],
                },
              ],
            }
          : {}),
        properties: { pack: v.pack, packVersion: v.packVersion, enforcementLevel: v.level, ...(v.severity ? { severity: v.severity } : {}) },
      })),
    };
  });
  return JSON.stringify({ $schema: sarifSchemaUri, version: "2.1.0", runs }, null, 2) + "\n";
}
