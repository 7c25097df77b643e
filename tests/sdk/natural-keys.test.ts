/** Two resources for one platform object are refused when declared, naming both; distinct ones pass. */
import * as pulumi from "@pulumi/pulumi";

pulumi.runtime.setMocks(
  { newResource: (args) => ({ id: `${args.name}_id`, state: args.inputs }), call: (args) => args.inputs },
  "omnitenant",
  "keys",
  false,
);

import * as omni from "omnitenant";

const agent = (account: string, tenantId: pulumi.Input<string>) => ({ tenantId, account, password: "Long-Enough-1", firstName: "A", alias: "A", email: "a@example.com" });

test("the same account twice in one tenant (the same Output) fails naming both resources", () => {
  const tenantId = pulumi.output("ten_abcdef12");
  new omni.Agent("first", agent("amy", tenantId));
  expect(() => new omni.Agent("second", agent("amy", tenantId))).toThrow(
    'Agent resources "first" and "second" both declare account "amy" in the same tenant; one platform object cannot be managed by two resources. Remove one of them, or give it another account.',
  );
});

test("the same account in another tenant, or another account, is fine", () => {
  new omni.Agent("x1", agent("zoe", "ten_abcdef12"));
  expect(() => new omni.Agent("x2", agent("zoe", "ten_ghijkl34"))).not.toThrow();
  expect(() => new omni.Agent("x3", agent("zed", "ten_abcdef12"))).not.toThrow();
  expect(() => new omni.Queue("zoe", { tenantId: "ten_abcdef12", name: "zoe" })).not.toThrow(); // another kind
});

test("the id output is the resource id, known whenever the engine knows the id", async () => {
  const q = new omni.Queue("ids", { tenantId: "ten_abcdef12", name: "Ids" });
  expect(await new Promise((r) => q.queueId.apply(r))).toBe("ids_id");
});
