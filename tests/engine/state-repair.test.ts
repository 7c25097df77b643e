import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { removeTruncatedAttributes } from "../../automation/engine";

describe("file backend repair after a kill", () => {
  it("removes empty .attrs sidecars (which fail every later command with EOF) and keeps everything else", () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), "omnitenant-state-"));
    const stacks = path.join(state, ".pulumi", "stacks", "proj");
    fs.mkdirSync(stacks, { recursive: true });
    fs.writeFileSync(path.join(stacks, "dev.json"), "{}");
    fs.writeFileSync(path.join(stacks, "dev.json.attrs"), "");
    fs.writeFileSync(path.join(stacks, "prod.json.attrs"), '{"user.cache_control":""}');
    expect(removeTruncatedAttributes(state)).toEqual([path.join(stacks, "dev.json.attrs")]);
    expect(fs.readdirSync(stacks).sort()).toEqual(["dev.json", "prod.json.attrs"]);
    fs.rmSync(state, { recursive: true, force: true });
  });
});
