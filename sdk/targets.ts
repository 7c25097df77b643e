/**
 * Implicit dependencies between PBX resources that name each other's extension numbers.
 *
 * A forwarding, follow-me or key target, or a number's destination, may name an extension the same
 * program declares, in any order. The platform applies a change only once its targets exist, so a
 * create whose target's create has not started waits — holding one of the engine's `--parallel`
 * slots (4 × CPUs by default). Enough such waiters would take every slot and starve the creates
 * they wait for. So each resource depends on the extensions it targets, known once the program's
 * synchronous declarations are done; targets that also reach back (a cycle, like two extensions
 * forwarding to each other) get no edge — they are created side by side and applied together —
 * which keeps the graph acyclic.
 */
import * as pulumi from "@pulumi/pulumi";

interface TargetNode {
  tenant: unknown;
  number?: string;
  targets: string[];
  resource?: pulumi.Resource;
  resolve: (deps: pulumi.Resource[]) => void;
}

const extensionNumber = /^[1-9]\d{1,5}$/;

/** Extensions declared so far, by tenant (the tenantId input: a string, or the same Output object) and number. */
const declared = new Map<unknown, Map<string, TargetNode>>();
let batch: TargetNode[] = [];

/** Strongly connected components (Tarjan); returns each node's component index. */
export function components(nodes: TargetNode[], edges: (n: TargetNode) => TargetNode[]): Map<TargetNode, number> {
  const index = new Map<TargetNode, number>();
  const low = new Map<TargetNode, number>();
  const component = new Map<TargetNode, number>();
  const stack: TargetNode[] = [];
  let counter = 0;
  let components = 0;
  const visit = (v: TargetNode) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    for (const w of edges(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (!component.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      let w: TargetNode;
      do {
        w = stack.pop()!;
        component.set(w, components);
      } while (w !== v);
      components++;
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return component;
}

/** Resolves the dependencies of the nodes declared since the last flush. */
function flush(): void {
  const nodes = batch;
  batch = [];
  const targetsOf = (n: TargetNode) =>
    n.targets.map((t) => declared.get(n.tenant)?.get(t)).filter((t): t is TargetNode => !!t && t !== n);
  const inBatch = new Set(nodes);
  const component = components(nodes, (n) => targetsOf(n).filter((t) => inBatch.has(t)));
  for (const n of nodes) {
    const deps = targetsOf(n)
      .filter((t) => !inBatch.has(t) || component.get(t) !== component.get(n))
      .map((t) => t.resource)
      .filter((r): r is pulumi.Resource => !!r);
    n.resolve([...new Set(deps)]);
  }
}

const plain = <T>(v: unknown): T | undefined => (pulumi.Output.isInstance(v) || v instanceof Promise ? undefined : (v as T));

/** Extension numbers among plain target values; targets that are Outputs are not known yet and are skipped. */
export function extensionTargets(values: unknown[]): string[] {
  return values.map((v) => plain<string>(v)).filter((v): v is string => typeof v === "string" && extensionNumber.test(v));
}

/** Plain elements of a possibly-Output array. */
export function plainItems<T>(v: unknown): T[] {
  const items = plain<unknown[]>(v);
  return Array.isArray(items) ? (items.map((i) => plain<T>(i)).filter((i) => i !== undefined && i !== null) as T[]) : [];
}

/**
 * Declares a PBX resource's place in the target graph. Pass `dependsOn` to the resource's options
 * and call `register` with the constructed resource.
 */
export function linkTargets(
  tenantId: unknown,
  number: unknown,
  targets: string[],
  opts: pulumi.CustomResourceOptions | undefined,
): { opts: pulumi.CustomResourceOptions | undefined; register(resource: pulumi.Resource): void } {
  const ownNumber = plain<string>(number);
  // A dependsOn given as an Output cannot be merged before it resolves: leave such a resource alone.
  if (pulumi.Output.isInstance(opts?.dependsOn) || (targets.length === 0 && ownNumber === undefined)) {
    return { opts, register: () => undefined };
  }
  let resolve!: (deps: pulumi.Resource[]) => void;
  const implicit = new Promise<pulumi.Resource[]>((r) => (resolve = r));
  // Keyed by stack too: several inline programs may run in one process (reseller provisioning).
  const tenant = typeof tenantId === "string" ? `${pulumi.getProject()}/${pulumi.getStack()}/${tenantId}` : tenantId;
  const node: TargetNode = { tenant, number: ownNumber, targets, resolve };
  if (batch.length === 0) setImmediate(flush);
  batch.push(node);
  if (ownNumber !== undefined) {
    if (!declared.has(tenant)) declared.set(tenant, new Map());
    declared.get(tenant)!.set(ownNumber, node);
  }
  const explicit = opts?.dependsOn as pulumi.Input<pulumi.Resource> | pulumi.Input<pulumi.Input<pulumi.Resource>[]> | undefined;
  const dependsOn = Promise.all([explicit, implicit]).then(([given, derived]) => [
    ...((Array.isArray(given) ? given : given ? [given] : []) as pulumi.Input<pulumi.Resource>[]),
    ...derived,
  ]);
  return { opts: { ...opts, dependsOn }, register: (resource) => (node.resource = resource) };
}
