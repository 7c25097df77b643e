/** Writing the fleet page after a command: the provision side (the drift command writes its own). */
import * as path from "node:path";
import { configure } from "../provider/config";
import { listTenants, providerListPage } from "./drift-platform";
import { resolveConnection } from "./provision";
import type { ProvisionReport } from "./provision-types";
import { provisionUsage, writeReportPage } from "./report-html";

/** report.html beside the provision JSON report, with usage from one tenant listing. Returns its path. */
export async function writeProvisionPage(jsonReport: string, report: ProvisionReport, platform: { endpoint?: string; token?: string } = {}): Promise<string> {
  const connection = resolveConnection(platform);
  configure(connection, "omnitenant provision");
  const usage = await provisionUsage(report, () => listTenants(providerListPage));
  return path.relative(process.cwd(), writeReportPage(path.dirname(path.resolve(jsonReport)), { provision: report, usage }));
}
