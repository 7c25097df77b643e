/** `omnitenant platform`: the local platform on its own, until SIGINT/SIGTERM. */
import type { Command } from "commander";
import { DEFAULT_DATA_FILE, startPlatform } from "../platform";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be an integer 0–65535, not ${value}`);
  return n;
}

export function registerPlatform(program: Command): void {
  program
    .command("platform")
    .description("Run the local omnitenant platform (the management API on SQLite). OMNITENANT_OPERATOR_TOKEN sets the operator token.")
    .option("--port <n>", "port to listen on (0 picks a free one)", port, 4750)
    .option("--data <file>", "SQLite data file", DEFAULT_DATA_FILE)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--quiet", "do not log requests (by default one line per request: method, route, status, duration, request id; never bodies or tokens)", false)
    .option("--faults", "enable fault injection for reliability tests (PUT /v1/admin/faults); never on a platform others use", false)
    .action(async (opts: { port: number; data: string; host: string; quiet: boolean; faults: boolean }) => {
      const platform = await startPlatform({ port: opts.port, host: opts.host, dataFile: opts.data, writeConnectionFile: true, connectionFileDirs: [".omnitenant"], logger: !opts.quiet, faults: opts.faults });
      process.stdout.write(`omnitenant platform listening on ${platform.url}\n`);
      process.stdout.write(`data file: ${platform.dataFile}\n`);
      // The provider finds the platform through this file from a program's directory upwards.
      for (const file of platform.connectionFiles) process.stdout.write(`connection file: ${file}\n`);
      if (platform.generatedToken) {
        process.stdout.write(`operator token (generated; set OMNITENANT_OPERATOR_TOKEN to choose one): ${platform.operatorToken}\n`);
      }
      process.stdout.write("Press Ctrl+C to stop.\n");
      const stop = (signal: string) => {
        process.stdout.write(`${signal}: stopping\n`);
        platform.close().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`error while stopping: ${String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.once("SIGINT", () => stop("SIGINT"));
      process.once("SIGTERM", () => stop("SIGTERM"));
    });
}
