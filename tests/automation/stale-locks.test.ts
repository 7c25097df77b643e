/**
 * Stale-lock repair decides whether to cancel someone's deployment: only when every lock of the
 * stack was taken on this host by a process that no longer runs. A wrong "stale" cancels a live
 * deployment, so the live cases matter most. The stack is a stand-in that records cancel(): the
 * decision is what is under test, not the Pulumi CLI.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { clearStaleLocks } from "../../automation/engine";
import { isAbandoned, stackLocks } from "../../automation/stack-locks";
import { exitedPid, writeStackLock } from "../support/stack-locks";

const project = "proj";
let state: string;
let cancels: number;
const stack = () => ({ name: "dev", cancel: async () => void cancels++ }) as unknown as Stack;
const backend = () => `file://${state}`;

const lock = (name: string, content: { pid: number; hostname: string }) => void writeStackLock(state, project, "dev", name, content);

beforeEach(() => {
  state = fs.mkdtempSync(path.join(os.tmpdir(), "omnitenant-locks-"));
  cancels = 0;
});
afterEach(() => fs.rmSync(state, { recursive: true, force: true }));

describe("clearStaleLocks", () => {
  test("a lock of a process that no longer runs on this host is cancelled", async () => {
    lock("a", { pid: exitedPid(), hostname: os.hostname() });
    expect(await clearStaleLocks(stack(), backend(), project)).toBe(true);
    expect(cancels).toBe(1);
  });

  test("a lock held by a live process is left alone", async () => {
    lock("a", { pid: process.pid, hostname: os.hostname() });
    expect(await clearStaleLocks(stack(), backend(), project)).toBe(false);
    expect(cancels).toBe(0);
  });

  test("a live lock next to a stale one keeps the stack locked", async () => {
    lock("a", { pid: exitedPid(), hostname: os.hostname() });
    lock("b", { pid: process.pid, hostname: os.hostname() });
    expect(await clearStaleLocks(stack(), backend(), project)).toBe(false);
    expect(cancels).toBe(0);
  });

  test("a lock taken on another host is left alone, whatever its pid", async () => {
    lock("a", { pid: exitedPid(), hostname: `${os.hostname()}-elsewhere` });
    expect(await clearStaleLocks(stack(), backend(), project)).toBe(false);
    expect(cancels).toBe(0);
  });

  test("no lock, or a non-file backend: nothing to do", async () => {
    expect(await clearStaleLocks(stack(), backend(), project)).toBe(false);
    lock("a", { pid: exitedPid(), hostname: os.hostname() });
    expect(await clearStaleLocks(stack(), "s3://bucket", project)).toBe(false);
    expect(cancels).toBe(0);
  });
});

describe("stackLocks", () => {
  test("reads what judges a lock (pid, host, time), not the OS user the file also names", () => {
    const pid = exitedPid();
    lock("a", { pid, hostname: os.hostname() });
    const [read] = stackLocks(backend(), project, "dev");
    expect(Object.keys(read).sort()).toEqual(["hostname", "pid", "timestamp"]);
    expect(read).toMatchObject({ pid, hostname: os.hostname() });
    expect(isAbandoned(read)).toBe(true);
  });

  test("a lock file that cannot be parsed is an error, not a lock to ignore", () => {
    const dir = path.join(state, ".pulumi", "locks", "organization", project, "dev");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "broken.json"), "{ not json");
    expect(() => stackLocks(backend(), project, "dev")).toThrow();
  });
});
