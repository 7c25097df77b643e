// The quickstart as a standalone Pulumi program: `pulumi up` here with a regular Pulumi install,
// or `npm run quickstart` from the repository root.
import { quickstartTenant } from "./tenant";

const tenant = quickstartTenant();
export const portalUrl = tenant.portalUrl;
export const tenantId = tenant.tenantId;
export const extensionIds = tenant.extensionIds;
export const eventsToken = tenant.eventsToken;
