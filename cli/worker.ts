/** `omnitenant worker`: runs provisioning jobs from the fleet's queue until stopped (SIGINT/SIGTERM). */
import type { Command } from "commander";
import { FleetError } from "../automation/fleet-db";
import { startWorker } from "../automation/fleet-worker";

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--concurrency must be a positive integer, not ${value}`);
  return n;
}

interface Options {
  queue: string;
  backend: string;
  concurrency: number;
  endpoint?: string;
  workDir?: string;
}

/** Exit codes: 0 stopped by a signal after its running jobs finished, 2 it could not start. */
export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("Run reseller provisioning jobs queued by `omnitenant provision --queue`, on this machine, until stopped; start as many as you like on any machines.")
    .requiredOption("--queue <url>", "postgres:// URL of the job queue (the one provision --queue uses)")
    .requiredOption("--backend <url>", "postgres:// URL of the Pulumi backend (the one provision --backend uses)")
    .option("--concurrency <n>", "jobs run at once by this worker", positiveInt, 1)
    .option("--endpoint <url>", "platform API (default OMNITENANT_ENDPOINT, else .omnitenant/platform.json, else the local platform); the token comes from OMNITENANT_TOKEN or that file")
    .option("--work-dir <dir>", "where the stacks' program directories go (default .omnitenant/worker)")
    .action(async (opts: Options) => {
      const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
      let worker;
      try {
        worker = await startWorker({ queueUrl: opts.queue, backendUrl: opts.backend, concurrency: opts.concurrency, endpoint: opts.endpoint, workDir: opts.workDir, log });
      } catch (e) {
        if (!(e instanceof FleetError)) throw e;
        process.stderr.write(`omnitenant worker: ${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log(`${signal}: finishing the running jobs, taking no new ones`);
          void worker.stop().then(resolve);
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
    });
}
