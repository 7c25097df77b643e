/** Reads what the platform stored for an object, to check write-only values the API never returns. */
import Database from "better-sqlite3";
import { SecretBox, verifyPassword } from "../../platform/crypto";

function storedSecrets(dataFile: string, objectId: string): Record<string, string> {
  const db = new Database(dataFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT secrets FROM objects WHERE id = ?").get(objectId) as { secrets: string } | undefined;
    if (!row) throw new Error(`no object ${objectId} in ${dataFile}`);
    return JSON.parse(row.secrets);
  } finally {
    db.close();
  }
}

/** Does the agent's stored password hash match `password`? */
export async function agentPasswordIs(dataFile: string, agentId: string, password: string): Promise<boolean> {
  return verifyPassword(password, storedSecrets(dataFile, agentId).passwordHash);
}

/** The credential's secrets as the platform holds them (decrypted with the platform's key file). */
export function credentialSecrets(dataFile: string, credentialId: string): Record<string, string> {
  const sealed = storedSecrets(dataFile, credentialId).secrets;
  return sealed ? JSON.parse(SecretBox.fromKeyFile(`${dataFile}.key`).open(sealed)) : {};
}

/** Does the tenant's stored admin password hash match `password`? */
export async function tenantAdminPasswordIs(dataFile: string, tenantId: string, password: string): Promise<boolean> {
  const db = new Database(dataFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT admin_password_hash AS hash FROM tenants WHERE id = ?").get(tenantId) as { hash: string } | undefined;
    if (!row) throw new Error(`no tenant ${tenantId} in ${dataFile}`);
    return verifyPassword(password, row.hash);
  } finally {
    db.close();
  }
}
