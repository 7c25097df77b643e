/** The platform writes its connection file where the provider looks for it, and says where. */
import { mkdtempSync, mkdirSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestPlatform } from "../support/platform";
import { findConnectionFile } from "../../provider/config";

test("a platform with its data elsewhere is found from a program directory through .omnitenant/platform.json", async () => {
  const project = mkdtempSync(join(tmpdir(), "omnitenant-project-"));
  const programDir = join(project, "programs", "acme");
  mkdirSync(programDir, { recursive: true });
  const platform = await startTestPlatform({ writeConnectionFile: true, connectionFileDirs: [join(project, ".omnitenant")] });
  try {
    const expected = join(project, ".omnitenant", "platform.json");
    expect(platform.connectionFiles).toContain(expected);
    const found = findConnectionFile(programDir);
    expect(found).toEqual({ path: expected, url: platform.url, operatorToken: platform.operatorToken });
  } finally {
    await platform.dispose();
  }
  expect(existsSync(join(project, ".omnitenant", "platform.json"))).toBe(false);
  rmSync(project, { recursive: true, force: true });
});
