import * as pulumi from "@pulumi/pulumi";
import type { ExtensionInputs, KeyAction, PortalPermission } from "../provider/schemas";
import type { DeepInput, In } from "./types";
import { dynamicProvider } from "./provider-shim";
import { resourceInputs, secretOptions, secretOutputs, claimNaturalKey, idOutputFromResourceId } from "./resource";
import { extensionTargets, linkTargets, plainItems } from "./targets";

/** One destination of staggered ringing. */
export interface RingDestinationArgs {
  /** An extension number of the same tenant ("101") — one this program declares is fine, in any order — or an E.164 number ("+14155550123"). */
  target: pulumi.Input<string>;
  /** How long it rings before the next destination, 5–300 s. Default 20. */
  ringSeconds?: pulumi.Input<number>;
}

/** Forwarding on no answer and on busy. Excludes `followMe`. */
export interface ForwardingArgs {
  /** When the extension does not answer. */
  onNoAnswer?: pulumi.Input<{
    /** Destinations tried in order. */
    destinations?: pulumi.Input<pulumi.Input<RingDestinationArgs>[]>;
    /** Send to voicemail when no destination answers. Default false. */
    voicemailLastResort?: pulumi.Input<boolean>;
  }>;
  /** When the extension is busy. */
  onBusy?: pulumi.Input<{
    /** Destinations tried in order. */
    destinations: pulumi.Input<pulumi.Input<RingDestinationArgs>[]>;
  }>;
}

/** Follow-me: the extension does not ring, these destinations do. Excludes `forwarding`. */
export interface FollowMeArgs {
  /** Destinations tried in order (at least one). */
  destinations: pulumi.Input<pulumi.Input<RingDestinationArgs>[]>;
}

/** A programmable key. */
export interface ExtensionKeyArgs {
  /** Key number, 1–20. */
  position: pulumi.Input<number>;
  /** "notConfigured", "blf", "quickCall", "line", "switch" or "pickup". */
  action: pulumi.Input<KeyAction>;
  /** Extension number for blf, line and pickup; extension or E.164 number for quickCall; none for switch and notConfigured. */
  target?: pulumi.Input<string>;
}

/** Access to the PBX management portal. */
export interface ExtensionPortalArgs {
  /** Portal login. */
  username: pulumi.Input<string>;
  /** Portal password, at least 8 characters. Always stored as a secret; write-only on the platform. */
  password: pulumi.Input<string>;
  /** Portal permissions (the 23 of the PBX); "userPortalAccess" alone by default. */
  permissions?: pulumi.Input<pulumi.Input<PortalPermission>[]>;
}

export interface ExtensionArgs {
  /** The tenant (`Tenant.tenantId`). Changing it replaces the extension. */
  tenantId: DeepInput<ExtensionInputs["tenantId"]>;
  /** Extension number, 2–6 digits, unique in the tenant (e.g. "101"). Changing it replaces the extension. */
  number: DeepInput<ExtensionInputs["number"]>;
  /** The user's name. */
  name: DeepInput<ExtensionInputs["name"]>;
  /** The user's email. */
  email?: In<ExtensionInputs["email"]>;
  /** Alternative (mobile) number, E.164 with country code. */
  gsmNumber?: In<ExtensionInputs["gsmNumber"]>;
  /** Whether the extension has a voicemail box. Default false. */
  voicemail?: In<ExtensionInputs["voicemail"]>;
  /** Listed in the default directory (digital receptionist). Default false. */
  directory?: In<ExtensionInputs["directory"]>;
  /** Can receive a call while on another call. Default false. */
  multipleCalls?: In<ExtensionInputs["multipleCalls"]>;
  /** Must log in on a phone before calling. Default false. */
  loginRequired?: In<ExtensionInputs["loginRequired"]>;
  /** Forwarding on no answer and on busy. Setting it together with `followMe` is an error. */
  forwarding?: pulumi.Input<ForwardingArgs>;
  /** Follow-me destinations. Setting it together with `forwarding` is an error. */
  followMe?: pulumi.Input<FollowMeArgs>;
  /** Programmable keys 1–20. */
  keys?: pulumi.Input<pulumi.Input<ExtensionKeyArgs>[]>;
  /** Portal access; `portal.password` is always secret. */
  portal?: pulumi.Input<ExtensionPortalArgs>;
  /** The contact-center agent this extension belongs to (`Agent.agentId`). */
  agentId?: In<ExtensionInputs["agentId"]>;
  /** Bring an existing extension with the same number under management (set to this configuration) instead of failing with a conflict. */
  adopt?: pulumi.Input<boolean>;
}

/** SIP identifiers for phones and softphones. */
export interface SipIdentifiers {
  /** SIP username: the extension number. */
  username: string;
  /** SIP domain: the tenant's FQDN. */
  domain: string;
  /** Generated SIP password (returned by the platform once, at creation; absent for an adopted extension). */
  password?: string;
  /** Address of the SIP proxy server. */
  proxy: string;
}

const provider = dynamicProvider("extension", "extensionProvider");
const outputNames = ["extensionId", "sip", "revision", "appliedRevision", "tenantId", "number", "name", "email", "gsmNumber", "voicemail", "directory", "multipleCalls", "loginRequired", "forwarding", "followMe", "keys", "portal", "agentId"] as const;

/**
 * A PBX extension: a user's number with voicemail, forwarding or follow-me, keys, portal access,
 * and its SIP identifiers. PBX changes are saved, then applied: the provider applies them (shared
 * with the other changes of the deployment), so an extension that reports success is live.
 *
 * Lifecycle: changing `tenantId` or `number` replaces the extension (with a new SIP password).
 * Every other change — name, email, GSM number, voicemail, directory, call options, forwarding,
 * follow-me, keys, portal, agent — updates in place.
 */
export class Extension extends pulumi.dynamic.Resource {
  /** The extension's id (`ext_…`). */
  declare public readonly extensionId: pulumi.Output<string>;
  /** SIP identifiers (secret, as they hold the SIP password). */
  declare public readonly sip: pulumi.Output<SipIdentifiers>;
  /** The platform's revision of the extension (its ETag). */
  declare public readonly revision: pulumi.Output<number>;
  /** The revision that is live; equal to `revision` once applied. */
  declare public readonly appliedRevision: pulumi.Output<number>;
  /** The tenant. */
  declare public readonly tenantId: pulumi.Output<string>;
  /** Extension number. */
  declare public readonly number: pulumi.Output<string>;
  /** The user's name. */
  declare public readonly name: pulumi.Output<string>;
  /** The user's email. */
  declare public readonly email: pulumi.Output<string | undefined>;
  /** Alternative number. */
  declare public readonly gsmNumber: pulumi.Output<string | undefined>;
  /** Voicemail box. */
  declare public readonly voicemail: pulumi.Output<boolean>;
  /** Listed in the directory. */
  declare public readonly directory: pulumi.Output<boolean>;
  /** Multiple simultaneous calls. */
  declare public readonly multipleCalls: pulumi.Output<boolean>;
  /** Login required to call. */
  declare public readonly loginRequired: pulumi.Output<boolean>;
  /** Forwarding. */
  declare public readonly forwarding: pulumi.Output<NonNullable<ExtensionInputs["forwarding"]> | undefined>;
  /** Follow-me. */
  declare public readonly followMe: pulumi.Output<NonNullable<ExtensionInputs["followMe"]> | undefined>;
  /** Keys. */
  declare public readonly keys: pulumi.Output<{ position: number; action: KeyAction; target?: string }[]>;
  /** Portal access (secret, as it holds the portal password). */
  declare public readonly portal: pulumi.Output<{ username: string; password: string; permissions: PortalPermission[] } | undefined>;
  /** The agent it belongs to. */
  declare public readonly agentId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ExtensionArgs, opts?: pulumi.CustomResourceOptions) {
    claimNaturalKey("Extension", name, "number", args.number, args.tenantId);
    const link = linkTargets(args.tenantId, args.number, extensionTargetsOf(args), opts);
    super(provider, name, resourceInputs("Extension", name, args, ["portal"], outputNames), secretOptions(link.opts, ["portal", "sip"]), "omnitenant", "Extension");
    idOutputFromResourceId(this, "extensionId");
    link.register(this);
    secretOutputs(this, ["portal", "sip"]);
  }
}

/** The extension numbers an extension's forwarding, follow-me and keys name (plain values only). */
function extensionTargetsOf(args: ExtensionArgs): string[] {
  type Destination = { target?: unknown };
  const forwarding = plainItems<Record<string, unknown>>([args.forwarding])[0];
  const followMe = plainItems<Record<string, unknown>>([args.followMe])[0];
  const onNoAnswer = plainItems<Record<string, unknown>>([forwarding?.onNoAnswer])[0];
  const onBusy = plainItems<Record<string, unknown>>([forwarding?.onBusy])[0];
  const destinations = [onNoAnswer?.destinations, onBusy?.destinations, followMe?.destinations].flatMap((d) => plainItems<Destination>(d));
  return extensionTargets([...destinations, ...plainItems<Destination>(args.keys)].map((d) => d.target));
}
