/**
 * Every bound on a field or a collection, in one place. The schemas apply them, so the platform
 * refuses what exceeds them, the provider's `check` reports them at preview, and the OpenAPI
 * document carries them (maxLength, maxItems, maxProperties).
 */
export const limits = {
  /** RFC 5321: a forward path is at most 256 octets including the brackets. */
  emailLength: 254,
  urlLength: 2048,
  redirectUris: 10,
  secretEntries: 20,
  secretKeyLength: 64,
  secretValueLength: 8192,
  settingsEntries: 20,
  scopes: 10,
  scopeLength: 100,
  agentIdsPerCredential: 1000,
  queuesPerAgent: 100,
  membersPerGroup: 1000,
  timeZoneLength: 64,
  languageLength: 35,
  /** Largest list page. */
  pageSize: 500,
} as const;

/** Per-tenant counts of credential kinds that no capability limits (channel accounts have maxChannelAccounts). */
export const credentialCountLimits = {
  apiToken: 50,
  oauth2Client: 20,
  webhook: 20,
  modelProvider: 10,
} as const;
