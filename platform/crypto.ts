/**
 * Ids, generated secrets, password hashing and encryption at rest.
 * Tokens are high-entropy, so a SHA-256 digest is enough to look them up (no scrypt per request);
 * human passwords get scrypt; secrets the platform must give back to a PBX (SIP password,
 * integration secrets, signing secret) are encrypted with AES-256-GCM under a key file.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `<prefix>_` + 20 random alphanumerics (~119 bits), matching the schemas' id pattern. */
export function newId(prefix: string): string {
  const bytes = randomBytes(20);
  let s = "";
  for (const b of bytes) s += ALNUM[b % 62];
  return `${prefix}_${s}`;
}

export const randomToken = (prefix: string, bytes = 32): string => prefix + randomBytes(bytes).toString("base64url");

export const sha256 = (value: string): string => createHash("sha256").update(value).digest("hex");

const SCRYPT = { r: 8, p: 1, keylen: 32 };
/** log2 of scrypt's N: 2^14 (16 MiB, the common interactive-login cost) by default. */
export const DEFAULT_SCRYPT_COST = 14;

/** `scrypt$N$r$p$salt$hash`, so that parameters can change without breaking stored hashes. */
export function hashPassword(password: string, cost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, SCRYPT.keylen, { N, r: SCRYPT.r, p: SCRYPT.p }, (err, key) => {
      if (err) reject(err);
      else resolve(`scrypt$${N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64url")}$${key.toString("base64url")}`);
    });
  });
}

export function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt") return Promise.resolve(false);
  const expected = Buffer.from(hash, "base64url");
  return new Promise((resolve, reject) => {
    scrypt(password, Buffer.from(salt, "base64url"), expected.length, { N: +n, r: +r, p: +p }, (err, key) => {
      if (err) reject(err);
      else resolve(timingSafeEqual(key, expected));
    });
  });
}

/** AES-256-GCM with a random 96-bit nonce per value: `v1.<nonce>.<ciphertext+tag>` in base64url. */
export class SecretBox {
  private readonly macKey: Buffer;
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error("the encryption key must be 32 bytes");
    // A separate key for MACs, derived so that one key file serves both uses without reusing a key.
    this.macKey = createHmac("sha256", key).update("omnitenant request mac v1").digest();
  }

  /**
   * HMAC-SHA256 under a key that lives in the key file, not in the database: a digest of a body
   * that holds a password, stored in the database, must not let a copy of the database check
   * password guesses (a plain SHA-256 would, far faster than the stored scrypt hash).
   */
  mac(value: string): string {
    return createHmac("sha256", this.macKey).update(value).digest("hex");
  }

  /** Reads the key file, creating it (mode 0600) on first start. */
  static fromKeyFile(file: string): SecretBox {
    if (!existsSync(file)) {
      writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    }
    chmodSync(file, 0o600);
    return new SecretBox(Buffer.from(readFileSync(file, "utf8").trim(), "base64"));
  }

  seal(plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1.${nonce.toString("base64url")}.${body.toString("base64url")}`;
  }

  open(sealed: string): string {
    const [version, nonce, body] = sealed.split(".");
    if (version !== "v1") throw new Error("unknown sealed-value version");
    const data = Buffer.from(body, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(nonce, "base64url"));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8");
  }
}

/** Deepest nesting of a JSON value the platform accepts; request bodies are checked on arrival. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of a JSON value, measured without recursion (a hostile body cannot overflow it). */
export function jsonDepth(value: unknown, stopAbove = Infinity): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > stopAbove) return deepest;
    for (const child of Object.values(v as object)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * JSON with sorted keys, so that two equal bodies hash the same whatever their key order. Refuses
 * values nested deeper than MAX_JSON_DEPTH (the recursion is bounded by that, never by the input).
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_JSON_DEPTH) throw new RangeError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], depth + 1)}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
