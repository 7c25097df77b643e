/**
 * The local platform in a process of its own for the benchmarks, so that it does not share an event
 * loop (or a memory figure) with the Pulumi program being measured. scrypt at 2^10, as in the tests:
 * the benchmark measures omnitenant and the engine, not password hashing. Prints one JSON line
 * {url, operatorToken} once listening; closes on SIGTERM.
 *
 *   node dist/tests/bench/platform-server.js <dataFile>
 */
import { startPlatform } from "../../platform";

async function main() {
  const dataFile = process.argv[2];
  if (!dataFile) throw new Error("usage: platform-server <dataFile>");
  const platform = await startPlatform({ port: 0, dataFile, operatorToken: "omo_bench_operator_token", scryptCost: 10 });
  process.stdout.write(JSON.stringify({ url: platform.url, operatorToken: platform.operatorToken }) + "\n");
  const stop = () => void platform.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
