/**
 * Builds the report from the engine's events (the Automation API's `onEvent` stream, the same
 * JSON as `pulumi preview --event-log`): policy violations, the per-resource and per-stack policy
 * summaries, the planned steps, and the errors that are not policy violations.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { CheckedResource, Level, NothingChecked, PackRun, PolicyReport, ReportedViolation } from "./model";

/** Events this module reads that @pulumi/pulumi's EngineEvent type does not declare (yet). */
interface PolicySummary {
  resourceUrn?: string;
  policyPackName: string;
  policyPackVersion: string;
  passed?: string[];
  failed?: string[];
}
export type ReportEvent = EngineEvent & {
  policyAnalyzeSummaryEvent?: PolicySummary;
  policyAnalyzeStackSummaryEvent?: PolicySummary;
  policyEvent?: EngineEvent["policyEvent"] & { severity?: string };
};

/** Drops the engine's color directives (`<{%reset%}>`) that remain with `--color never`. */
export const plain = (s: string) => s.replace(/<\{%[^%]*%\}>/g, "").trimEnd();

/** `urn:pulumi:stack::project::parent$type::name` → type and name. */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const name = parts.slice(3).join("::");
  const typeChain = parts[2] ?? "";
  return { type: typeChain.slice(typeChain.lastIndexOf("$") + 1), name };
}

const level = (engine: string): Level => (engine === "warning" ? "advisory" : (engine as Level));

/** How the engine says an operation failed, without saying why: caused by the violations when there are mandatory ones. */
const genericFailure = /^(preview|update) failed\.?$|mandatory policy violation|policy violations? (were|was) (found|reported)/i;

export interface BuildOptions {
  stack: string;
  project?: string;
  /** The packs that were run, for a report that lists them even when a pack reported nothing. */
  packs?: PackRun[];
  /** An error the Automation API raised, when the preview failed. */
  failure?: string;
  now?: Date;
}

export function buildReport(events: readonly ReportEvent[], opts: BuildOptions): PolicyReport {
  const packs = new Map<string, string>((opts.packs ?? []).map((p) => [p.name, p.version]));
  const resources = new Map<string, CheckedResource>();
  const stackPolicies: PolicyReport["stackPolicies"] = {};
  const violations: ReportedViolation[] = [];
  const errors: string[] = [];
  const resource = (urn: string) => {
    let r = resources.get(urn);
    if (!r) {
      r = { urn, ...parseUrn(urn), packs: {} };
      resources.set(urn, r);
    }
    return r;
  };

  for (const e of events) {
    const summary = e.policyAnalyzeSummaryEvent;
    if (summary?.resourceUrn) {
      packs.set(summary.policyPackName, summary.policyPackVersion);
      const r = resource(summary.resourceUrn);
      const entry = (r.packs[summary.policyPackName] ??= { passed: [], failed: [] });
      entry.passed.push(...(summary.passed ?? []));
      entry.failed.push(...(summary.failed ?? []));
    }
    const stackSummary = e.policyAnalyzeStackSummaryEvent;
    if (stackSummary) {
      packs.set(stackSummary.policyPackName, stackSummary.policyPackVersion);
      const entry = (stackPolicies[stackSummary.policyPackName] ??= { passed: [], failed: [] });
      entry.passed.push(...(stackSummary.passed ?? []));
      entry.failed.push(...(stackSummary.failed ?? []));
    }
    const p = e.policyEvent;
    if (p) {
      packs.set(p.policyPackName, p.policyPackVersion);
      const [description, ...rest] = plain(p.message).split("\n");
      // Stack policies that name no resource are reported by the engine on the root stack.
      const urn = p.resourceUrn && parseUrn(p.resourceUrn).type !== "pulumi:pulumi:Stack" ? p.resourceUrn : undefined;
      violations.push({
        pack: p.policyPackName,
        packVersion: p.policyPackVersion,
        policy: p.policyName,
        level: level(p.enforcementLevel),
        ...(p.severity ? { severity: p.severity } : {}),
        ...(urn ? { urn, resource: parseUrn(urn) } : {}),
        description: description.trim(),
        message: rest.join("\n").trim() || description.trim(),
      });
    }
    const d = e.diagnosticEvent;
    if (d && d.severity === "error") errors.push(plain(d.message).trim());
    if (e.summaryEvent?.policyPacks) {
      for (const [name, version] of Object.entries(e.summaryEvent.policyPacks)) if (!packs.has(name)) packs.set(name, version);
    }
  }
  // Steps are planned for every resource; keep them for those the packs analysed.
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (m && resources.has(m.urn)) resources.get(m.urn)!.operation = m.op;
  }
  const mandatory = violations.filter((v) => v.level === "mandatory").length;
  if (mandatory > 0) {
    for (let i = errors.length - 1; i >= 0; i--) if (genericFailure.test(errors[i])) errors.splice(i, 1);
  } else if (opts.failure && errors.length === 0) {
    // The preview failed and the engine said nothing about it in its events (e.g. a bad policy config).
    errors.push(opts.failure.trim());
  }

  const advisory = violations.filter((v) => v.level === "advisory").length;
  const checked = [...resources.values()].filter((r) => isProgramResource(r.type));
  // A preview that failed says why itself; one that ran and checked nothing must not pass.
  const nothingChecked = checked.length === 0 && errors.length === 0 && mandatory === 0 ? whyNothingChecked(events) : undefined;
  if (nothingChecked) errors.push(nothingChecked.message);
  return {
    generatedAt: (opts.now ?? new Date()).toISOString(),
    target: { ...(opts.project ? { project: opts.project } : {}), stack: opts.stack, operation: "preview" },
    packs: [...packs].map(([name, version]) => ({ name, version })).sort((a, b) => a.name.localeCompare(b.name)),
    resources: checked.sort((a, b) => a.urn.localeCompare(b.urn)),
    stackPolicies,
    violations,
    errors: [...new Set(errors)],
    ...(nothingChecked ? { nothingChecked } : {}),
    summary: {
      resourcesChecked: checked.length,
      violations: violations.length,
      mandatory,
      advisory,
      result: mandatory === 0 && errors.length === 0 ? "pass" : "fail",
    },
  };
}

/** Resources of the program itself: not the stack, not the providers the engine adds. */
const isProgramResource = (type: string) => !type.startsWith("pulumi:providers:") && type !== "pulumi:pulumi:Stack";

function whyNothingChecked(events: readonly ReportEvent[]): NothingChecked {
  const planned = new Set<string>();
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (m && isProgramResource(m.type)) planned.add(m.urn);
  }
  if (planned.size === 0) {
    return {
      code: "no-resources",
      resourcesPlanned: 0,
      message:
        "nothing was checked: the program declared no resources, so the policy packs had nothing to analyse. " +
        "Check that --dir is the program's Pulumi project (Pulumi.yaml, with `main` pointing at the program) and that the program declares its resources.",
    };
  }
  return {
    code: "not-analysed",
    resourcesPlanned: planned.size,
    message:
      `nothing was checked: the program declared ${planned.size} resources but the engine reported no policy result for any of them. ` +
      "Check that the policy packs loaded (see the preview's output) and that the Pulumi CLI sends per-resource policy summaries in its engine events (the CLI omnitenant builds does).",
  };
}
