/**
 * Loaded with `--require` (NODE_OPTIONS) into the processes the Pulumi CLI starts, since Node.js
 * refuses --cpu-prof in NODE_OPTIONS: in the dynamic-provider host it samples the CPU from start to
 * exit and writes `CPU.host.<pid>.cpuprofile` into OMNITENANT_CPU_PROFILE_DIR. The CLI ends its
 * plugins with a signal, so the profile is written on SIGINT and SIGTERM too. Other processes are
 * left alone.
 */
import * as fs from "node:fs";
import * as inspector from "node:inspector";
import * as path from "node:path";

const dir = process.env.OMNITENANT_CPU_PROFILE_DIR;
if (dir && /dynamic-provider/.test(process.argv[1] ?? "")) {
  const session = new inspector.Session();
  session.connect();
  // The in-process session answers synchronously: the profile is written before the process goes.
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post("Profiler.stop", (err, result) => {
      if (!err) fs.writeFileSync(path.join(dir, `CPU.host.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      write();
      process.exit(0);
    });
  }
}
