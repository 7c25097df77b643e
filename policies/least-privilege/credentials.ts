/** Least-privilege rules on integration credentials: scopes, lifetimes, webhooks, agent tagging. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { crmKinds, telephonyKinds, type CredentialKind } from "../../provider/schemas";
import { readConfig } from "../shared/config";
import { message } from "../shared/messages";
import { at, show, str, strings, UNKNOWN } from "../shared/resources";
import { forKind } from "../shared/validate";
import type {
  ApiCredentialLifetimeConfig,
  ApiCredentialScopesConfig,
  IntegrationTaggedToAgentConfig,
  WebhookHttpsOnlyConfig,
} from "./config";
import { configSchema } from "./schemas";

/** Kinds that grant API access and so carry scopes and an expiry. */
const scopedKinds: readonly CredentialKind[] = ["apiToken", "oauth2Client"];
/** Kinds that must be tagged to an agent's user profile. */
const taggedKinds: readonly CredentialKind[] = [...crmKinds, ...telephonyKinds];

const kindIn = (props: Record<string, unknown>, kinds: readonly CredentialKind[]) => {
  const kind = str(props, "kind");
  return typeof kind === "string" && (kinds as readonly string[]).includes(kind) ? (kind as CredentialKind) : undefined;
};

const isWildcard = (scope: string) => scope.endsWith("*");

export function apiCredentialScopesPolicy(): ResourceValidationPolicy {
  const name = "api-credential-scopes";
  const schema = configSchema(name);
  return {
    name,
    description: "API tokens and OAuth2 clients list their scopes explicitly: at least one scope, and no wildcard (`*` or a scope ending in `*`).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schema,
    validateResource: forKind("IntegrationCredential", (props, args, report) => {
      readConfig<ApiCredentialScopesConfig>(name, schema, args.getConfig());
      const kind = kindIn(props, scopedKinds);
      if (!kind) return;
      const scopes = strings(props, "scopes");
      if (scopes === UNKNOWN) return; // decided when known
      if (!scopes || scopes.length === 0) {
        report(
          message(args, {
            rule: `an ${kind} must list the scopes it needs`,
            value: `scopes ${scopes ? "[]" : "not set"}`,
            fix: `set scopes to what the integration uses, e.g. scopes: ["events:read"]`,
          }),
        );
        return;
      }
      const wild = scopes.filter(isWildcard);
      if (wild.length === 0) return;
      report(
        message(args, {
          rule: `an ${kind} may not use wildcard scopes, which grant every present and future permission`,
          value: `scopes ${show(scopes)} (wildcards: ${wild.map((s) => show(s)).join(", ")})`,
          fix: `replace ${wild.map((s) => show(s)).join(", ")} with the exact scopes needed, e.g. "events:read", "transcripts:read"`,
        }),
      );
    }),
  };
}

const DAY_MS = 86_400_000;

export function apiCredentialLifetimePolicy(now: () => Date = () => new Date()): ResourceValidationPolicy {
  const name = "api-credential-lifetime";
  const schema = configSchema(name);
  return {
    name,
    description: "API tokens and OAuth2 clients have an expiresAt no later than maxLifetimeDays (default 90) from now.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schema,
    validateResource: forKind("IntegrationCredential", (props, args, report) => {
      const { maxLifetimeDays } = readConfig<ApiCredentialLifetimeConfig>(name, schema, args.getConfig());
      const kind = kindIn(props, scopedKinds);
      if (!kind) return;
      const expiresAt = str(props, "expiresAt");
      if (expiresAt === UNKNOWN) return; // decided when known
      const latest = new Date(now().getTime() + maxLifetimeDays * DAY_MS);
      const fix = `set expiresAt to an ISO 8601 date-time no later than ${latest.toISOString()} (${maxLifetimeDays} days from now) and rotate before then`;
      if (expiresAt === undefined) {
        report(message(args, { rule: `an ${kind} must expire within ${maxLifetimeDays} days`, value: "expiresAt not set (never expires)", fix }));
        return;
      }
      const at = Date.parse(expiresAt);
      if (Number.isNaN(at)) {
        report(message(args, { rule: `an ${kind} must have a valid expiry`, value: `expiresAt ${show(expiresAt)} is not a date-time`, fix }));
        return;
      }
      if (at <= latest.getTime()) return;
      const days = Math.ceil((at - now().getTime()) / DAY_MS);
      report(
        message(args, {
          rule: `an ${kind} must expire within ${maxLifetimeDays} days`,
          value: `expiresAt ${show(expiresAt)}, ${days} days from now`,
          fix,
        }),
      );
    }),
  };
}

export function webhookHttpsOnlyPolicy(): ResourceValidationPolicy {
  const name = "webhook-https-only";
  const schema = configSchema(name);
  return {
    name,
    description: "Webhooks deliver only to https URLs, so that events and their signatures are not sent in clear text.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schema,
    validateResource: forKind("IntegrationCredential", (props, args, report) => {
      readConfig<WebhookHttpsOnlyConfig>(name, schema, args.getConfig());
      if (!kindIn(props, ["webhook"])) return;
      const url = str(props, "settings", "url");
      // Unknown: decided when known; absent: the provider's input check refuses it already.
      if (url === UNKNOWN || url === undefined) return;
      let protocol: string;
      try {
        protocol = new URL(url).protocol;
      } catch {
        protocol = "";
      }
      if (protocol === "https:") return;
      report(
        message(args, {
          rule: "a webhook must deliver to an https URL",
          value: `settings.url ${show(url)}`,
          fix: protocol === "http:" ? `use ${show(url.replace(/^http:/i, "https:"))}` : `set settings.url to an https URL, e.g. "https://hooks.example.com/omnitenant"`,
        }),
      );
    }),
  };
}

export function integrationTaggedToAgentPolicy(): ResourceValidationPolicy {
  const name = "integration-tagged-to-agent";
  const schema = configSchema(name);
  return {
    name,
    description: "CRM (zoho, salesforce, hubspot) and telephony (netsapiens, portaone, bicom) credentials are tagged to at least one agent profile in agentIds.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: schema,
    validateResource: forKind("IntegrationCredential", (props, args, report) => {
      readConfig<IntegrationTaggedToAgentConfig>(name, schema, args.getConfig());
      const kind = kindIn(props, taggedKinds);
      if (!kind) return;
      const agentIds = at(props, "agentIds");
      // An unknown list, or ids of agents still to be created, are tags.
      if (agentIds === UNKNOWN || (Array.isArray(agentIds) && agentIds.length > 0)) return;
      report(
        message(args, {
          rule: `a ${kind} integration must be tagged to the agent profiles that use it`,
          value: `agentIds ${agentIds === undefined ? "not set" : "[]"}`,
          fix: "set agentIds to the agents that use this integration, e.g. agentIds: [jane.agentId]",
        }),
      );
    }),
  };
}
