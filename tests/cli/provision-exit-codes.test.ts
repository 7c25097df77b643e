/**
 * `omnitenant provision` refuses a catalogue it cannot use before anything starts: exit code 2 and a
 * message naming the file, the field and what is wrong. (Exit 0 and 1, after customers ran, are
 * covered with the engine in tests/e2e/provision.test.ts.)
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "omnitenant-provision-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function provision(catalogue: string, ...args: string[]) {
  // cwd in the temporary folder: nothing (report, state) can land in the repository.
  const out = spawnSync(process.execPath, [path.join(root, "bin", "omnitenant.js"), "provision", catalogue, ...args], {
    cwd: dir,
    encoding: "utf8",
    timeout: 60_000,
    killSignal: "SIGKILL",
    env: { ...process.env, OMNITENANT_ENDPOINT: "http://127.0.0.1:9", OMNITENANT_TOKEN: "omo_unused" },
  });
  return { status: out.status, stderr: out.stderr, stdout: out.stdout };
}

const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
};

describe("omnitenant provision: catalogue errors", () => {
  test("a missing file: exit 2, naming it", () => {
    const r = provision("absent.yaml");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot read the catalogue absent.yaml");
  });

  test("neither YAML nor JSON: exit 2, with the parser's position", () => {
    const r = provision(write("broken.yaml", "a: [\n"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml is neither valid YAML nor JSON: .*line 2, column 1/);
  });

  test("fields missing: exit 2, each named by its path", () => {
    const r = provision(write("incomplete.yaml", "reseller:\n  name: R\ncustomers: []\n"));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("incomplete.yaml: reseller.domain:");
    expect(r.stderr).toContain("reseller.plans:");
    expect(fs.existsSync(path.join(dir, ".omnitenant"))).toBe(false); // nothing started, nothing written
  });

  test("a bad option is refused before anything runs, naming it", () => {
    const r = provision(write("ok.yaml", "reseller:\n  name: R\ncustomers: []\n"), "--concurrency", "0");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("--concurrency must be a positive integer, not 0");
    expect(fs.existsSync(path.join(dir, ".omnitenant"))).toBe(false);
  });
});
