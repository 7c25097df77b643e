/** Implicit dependencies between PBX resources that target each other's extension numbers. */
import * as pulumi from "@pulumi/pulumi";
import { extensionTargets, linkTargets } from "../../sdk/targets";

/** Declares nodes in one synchronous stretch, as a program does, and returns their resolved dependencies. */
async function declare(nodes: Array<{ id: string; tenant: unknown; number?: string; targets: string[]; dependsOn?: pulumi.Resource[] }>) {
  const resources = new Map<string, pulumi.Resource>();
  const pending = nodes.map((n) => {
    const link = linkTargets(n.tenant, n.number, n.targets, n.dependsOn ? { dependsOn: n.dependsOn } : undefined);
    const resource = { id: n.id } as unknown as pulumi.Resource;
    resources.set(n.id, resource);
    link.register(resource);
    return { id: n.id, deps: link.opts?.dependsOn as Promise<pulumi.Resource[]> | undefined };
  });
  const out: Record<string, string[]> = {};
  for (const p of pending) out[p.id] = p.deps ? (await p.deps).map((r) => (r as unknown as { id: string }).id).sort() : [];
  return out;
}

describe("implicit target dependencies", () => {
  it("makes each extension depend on the extensions it targets, whatever the declaration order", async () => {
    const tenant = {};
    const deps = await declare([
      { id: "e101", tenant, number: "101", targets: ["102"] },
      { id: "e102", tenant, number: "102", targets: ["103", "+14155550123"] },
      { id: "e103", tenant, number: "103", targets: [] },
      { id: "n1", tenant, targets: ["101"] },
    ]);
    expect(deps).toEqual({ e101: ["e102"], e102: ["e103"], e103: [], n1: ["e101"] });
  });

  it("adds no edge inside a cycle, so extensions that forward to each other are created side by side", async () => {
    const tenant = {};
    const deps = await declare([
      { id: "e201", tenant, number: "201", targets: ["202"] },
      { id: "e202", tenant, number: "202", targets: ["201", "203"] },
      { id: "e203", tenant, number: "203", targets: [] },
      { id: "e204", tenant, number: "204", targets: ["201"] },
    ]);
    expect(deps).toEqual({ e201: [], e202: ["e203"], e203: [], e204: ["e201"] });
  });

  it("never links extensions of different tenants, and keeps explicit dependsOn", async () => {
    const explicit = { id: "explicit" } as unknown as pulumi.Resource;
    const deps = await declare([
      { id: "a301", tenant: {}, number: "301", targets: ["302"], dependsOn: [explicit] },
      { id: "b302", tenant: {}, number: "302", targets: [] },
    ]);
    expect(deps).toEqual({ a301: ["explicit"], b302: [] });
  });

  it("depends on extensions declared in an earlier stretch of the program", async () => {
    const tenant = {};
    await declare([{ id: "e401", tenant, number: "401", targets: [] }]);
    expect(await declare([{ id: "e402", tenant, number: "402", targets: ["401"] }])).toEqual({ e402: ["e401"] });
  });

  it("reads only extension numbers among plain targets", () => {
    expect(extensionTargets(["101", "+33140000000", pulumi.output("102"), undefined, "abc"])).toEqual(["101"]);
  });
});
