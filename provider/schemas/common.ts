/**
 * Field types shared by every resource kind. These zod schemas are the single source of truth:
 * the platform validates request bodies with them, the provider's `check` validates inputs with
 * them, and the OpenAPI document, JSON schemas and docs are generated from them.
 */
import { z } from "zod";
import countries from "i18n-iso-countries";
import { limits } from "./limits";

/** Platform object ids are opaque strings with a kind prefix (`ten_…`, `agt_…`). */
export const objectId = (prefix: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[A-Za-z0-9]{6,40}$`), `must be an id of the form ${prefix}_…`);

export const tenantId = objectId("ten").describe("Id of the tenant this object belongs to (`Tenant.tenantId`).");

/** E.164: a plus sign, a country code that does not start with 0, at most 15 digits in all. */
export const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number: + then country code and number, 7 to 15 digits, e.g. +14155550123");

/** An internal extension number: 2 to 6 digits, not starting with 0. */
export const extensionNumber = z
  .string()
  .regex(/^[1-9]\d{1,5}$/, "must be an extension number of 2 to 6 digits not starting with 0, e.g. \"101\"");

/** A call target: an extension number of the same tenant, or an external E.164 number. */
export const callTarget = z
  .string()
  .regex(
    /^([1-9]\d{1,5}|\+[1-9]\d{6,14})$/,
    "must be an extension number of the same tenant (e.g. \"101\") or an E.164 number (e.g. \"+14155550123\")",
  )
  .describe("An extension number of the same tenant (\"101\") or an E.164 number (\"+14155550123\").");

export const isExtensionTarget = (target: string): boolean => /^[1-9]\d{1,5}$/.test(target);

export const email = z.string().max(limits.emailLength).email("must be an email address, e.g. ops@example.com");

export const fqdn = z
  .string()
  .max(253)
  .regex(
    /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "must be a lower-case fully qualified domain name, e.g. acme.pbx.example.com",
  );

const timeZones = new Set<string>([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC"]);
/** The canonical names, listed as the document's enum (aliases such as Asia/Calcutta are accepted too). */
const timeZoneNames = [...timeZones].sort();
/** IANA time zone names, including the aliases the runtime knows (Asia/Calcutta). */
export const timeZone = z.string().max(limits.timeZoneLength).refine(
  (tz) => {
    if (timeZones.has(tz)) return true;
    if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(tz)) return false;
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "must be an IANA time zone name, e.g. Europe/Paris or America/New_York" },
).meta({ enum: timeZoneNames });

/** ISO 3166-1 alpha-2 country codes, upper case. */
export const country = z
  .string()
  .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code in upper case, e.g. FR or US")
  .refine((c) => countries.isValid(c), {
    message: "must be an ISO 3166-1 alpha-2 country code in upper case, e.g. FR or US",
  })
  .meta({ enum: Object.keys(countries.getAlpha2Codes()).sort() });

/** BCP 47 language tags, canonical form (en-US, fr, pt-BR). */
export const language = z
  .string()
  .max(limits.languageLength)
  .regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/, "must be a canonical BCP 47 language tag, e.g. en-US, fr or pt-BR")
  .describe("A BCP 47 language tag in canonical form (en-US, fr, pt-BR); deprecated codes such as iw are refused for their canonical form (he).")
  .refine(
  (tag) => {
    try {
      return Intl.getCanonicalLocales(tag)[0] === tag;
    } catch {
      return false;
    }
  },
  { message: "must be a canonical BCP 47 language tag, e.g. en-US, fr or pt-BR" },
);

/** An account or username: letters, digits, dot, dash, underscore, @. */
export const username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, "must be 2 to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit");

/** Passwords are write-only: accepted on create and update, never returned, stored hashed. */
export const password = z.string().min(8, "must be at least 8 characters").max(256);

export const name = z.string().trim().min(1, "must not be empty").max(120);

export const skills = z
  .array(z.string().trim().min(1).max(60))
  .max(50)
  .refine((s) => new Set(s).size === s.length, { message: "must not repeat a skill" });

/** Metadata the platform adds to every object it returns. */
export const objectMeta = {
  revision: z.number().int().describe("Incremented by every saved change; also the object's ETag (`\"<revision>\"`)."),
  createdAt: z.string().describe("ISO 8601 time of creation."),
  updatedAt: z.string().describe("ISO 8601 time of the last saved change."),
};

/** Metadata of PBX objects, which follow the save-then-apply model: a change is saved, then applied. */
export const pbxMeta = {
  appliedRevision: z
    .number()
    .int()
    .nullable()
    .describe("The revision that is live; null while the create is still pending. Equal to `revision` when nothing is pending."),
  pendingDelete: z.boolean().describe("True when a deletion is saved but not yet applied."),
};

export const unique = <T>(items: T[]) => new Set(items).size === items.length;
