/** What the provider host hands the engine: failures without values, Output-as-text recognised, plain-text token noticed. */
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call, readableFailures } from "../../provider/host";
import { agentProvider } from "../../provider/agent";
import { checkInputs } from "../../provider/check";
import { extensionInputs } from "../../provider/schemas";
import { endpointProblem, warnIfTokenInPlainText } from "../../provider/config";

test("check failures go to the engine without a property, so it prints no value", () => {
  expect(readableFailures([{ property: "admin.password", reason: "must be at least 8 characters" }, { property: "", reason: "could not be validated" }])).toEqual([
    { property: "", reason: "admin.password: must be at least 8 characters" },
    { property: "", reason: "could not be validated" },
  ]);
});

test("the host adapter rewrites the failures of a real provider's check", async () => {
  const result = (await call(agentProvider as unknown as Parameters<typeof call>[0], "check", [
    {},
    { tenantId: "ten_abcdef12", account: "amy", password: "short", firstName: "A", alias: "A", email: "a@example.com" },
  ])) as { failures: Array<{ property: string; reason: string }> };
  expect(result.failures).toEqual([{ property: "", reason: "password: must be at least 8 characters" }]);
});

test("an Output turned into text is named, with the fix, instead of the schema's rule", () => {
  const text = "Calling [toString] on an [Output<T>] is not supported.\n\nTo get the value…";
  const result = checkInputs(extensionInputs, { tenantId: "ten_abcdef12", number: "105", name: "X", keys: [{ position: 1, action: "blf", target: text }] });
  expect(result.failures).toEqual([
    {
      property: "keys[0].target",
      reason:
        "is an Output turned into text (a template string or `+` around an Output gives Pulumi's warning text, not the value); pass the Output itself, or build the text with pulumi.interpolate`…`",
    },
  ]);
});

test("an endpoint without a scheme is named with the fix", () => {
  expect(endpointProblem("127.0.0.1:4750", "stack config omnitenant:endpoint")).toBe(
    'stack config omnitenant:endpoint is "127.0.0.1:4750", which is not an http(s) URL. Give the platform\'s address with its scheme, e.g. `pulumi config set omnitenant:endpoint http://127.0.0.1:4750`.',
  );
  expect(endpointProblem("http://127.0.0.1:4750", "x")).toBeUndefined();
  expect(endpointProblem("https://pbx.example.com", "x")).toBeUndefined();
});

test("a token stored in plain text in a stack config file is noticed once, without printing it", () => {
  const dir = mkdtempSync(join(tmpdir(), "omnitenant-cfg-"));
  const logged: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((m: string) => void logged.push(m));
  try {
    writeFileSync(join(dir, "Pulumi.secure.yaml"), "config:\n  omnitenant:token:\n    secure: v1:abc\n");
    expect(warnIfTokenInPlainText("omo_plain_token_1", dir)).toBe(false);
    writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  omnitenant:token: omo_plain_token_1\n");
    expect(warnIfTokenInPlainText("omo_plain_token_1", dir)).toBe(true);
    expect(warnIfTokenInPlainText("omo_plain_token_1", dir)).toBe(false); // once per process
    expect(logged).toEqual([
      "warning: omnitenant:token is stored in plain text in Pulumi.dev.yaml, and so in the stack's state. Store it encrypted: `pulumi config set --secret omnitenant:token <token>`.",
    ]);
  } finally {
    log.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
});
