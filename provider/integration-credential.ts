/**
 * IntegrationCredential: a CRM, telephony, API token, OAuth2 client, webhook, model provider or
 * IRIS integration. The tenant, the name and the kind replace (the platform cannot rename a
 * credential or change what it is); settings, secrets, scopes, expiry and tagged agents update in
 * place. Secrets are write-only; the generated token, client secret and signing secret come back
 * once, from the create, and are carried forward in state.
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { credentialInputs, kinds, settingsByKind, type CredentialKind } from "./schemas";
import { checkInputs } from "./check";
import { createObject, deleteObject, diffInputs, readObject, updateObject, type KindDescriptor } from "./lifecycle";

type Obj = Record<string, any>;

/** Settings with the defaults of their kind, and expiry in one ISO form, so that equal means equal. */
function normalize(inputs: Obj): Obj {
  const out = { ...inputs };
  const schema = settingsByKind[inputs.kind as CredentialKind];
  const settings = schema?.safeParse(inputs.settings ?? {});
  if (settings?.success) out.settings = settings.data;
  if (typeof inputs.expiresAt === "string" && !Number.isNaN(Date.parse(inputs.expiresAt))) out.expiresAt = new Date(inputs.expiresAt).toISOString();
  return out;
}

export const credentialKind: KindDescriptor = {
  spec: kinds.IntegrationCredential,
  fields: ["tenantId", "name", "kind", "settings", "secrets", "scopes", "expiresAt", "agentIds"],
  replaceOn: ["tenantId", "name", "kind"],
  writeOnly: ["secrets"],
  createOnly: ["token", "clientSecret", "signingSecret"],
  normalize,
  secretValues: (i) =>
    [...Object.values((i.secrets ?? {}) as Record<string, unknown>), i.token, i.clientSecret, i.signingSecret].filter((s): s is string => typeof s === "string"),
  afterRead: (result) => {
    keepHeldSecrets(result.props);
    if (result.inputs && result.props) {
      result.inputs.secrets = result.props.secrets;
      if (result.inputs.secrets === undefined) delete result.inputs.secrets;
    }
  },
};

/** Only the secrets the platform still holds are in state after a refresh, so a lost one is set again. */
function keepHeldSecrets(o: Obj | undefined): void {
  if (o?.secrets && Array.isArray(o.secretKeys)) {
    o.secrets = Object.fromEntries(Object.entries(o.secrets).filter(([k]) => o.secretKeys.includes(k)));
  }
}

export const credentialProvider = {
  check: async (_olds: Obj, news: Obj) =>
    checkInputs(credentialInputs, news, {
      normalize: (data) => {
        const settings = settingsByKind[data.kind as CredentialKind].safeParse(data.settings ?? {});
        return settings.success ? { ...data, settings: settings.data } : data;
      },
    }),
  diff: async (_id: string, olds: Obj, news: Obj) => diffInputs(credentialKind, olds, news),
  create: (inputs: Obj) => createObject(credentialKind, inputs),
  read: (id: string, props: Obj = {}) => readObject(credentialKind, id, props),
  update: (id: string, olds: Obj, news: Obj) => updateObject(credentialKind, id, olds, news),
  delete: (id: string, props: Obj) => deleteObject(credentialKind, id, props),
} satisfies ResourceProvider;
