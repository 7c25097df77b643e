/** Cursor pagination: the cursor is the opaque position (row sequence) after which the next page starts. */
import { z } from "zod";
import { Problem } from "../problems";
import { limits } from "../../provider/schemas/limits";

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(limits.pageSize).default(50).describe(`Page size, 1–${limits.pageSize} (default 50).`),
  cursor: z.string().max(100).optional().describe("The nextCursor of the previous page."),
};

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const m = /^s:(\d{1,15})$/.exec(text);
  if (!m) throw new Problem("invalid-request", `The cursor ${JSON.stringify(cursor)} is not one this platform issued; pass nextCursor from the previous page.`, [{ path: "cursor", message: "invalid cursor" }]);
  return Number(m[1]);
}

export const encodeCursor = (seq: number): string => Buffer.from(`s:${seq}`).toString("base64url");

/** Rows are fetched with limit + 1 to know whether another page exists. */
export function page<R extends { seq: number }, T>(rows: R[], limit: number, map: (r: R) => T): { items: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), nextCursor: more ? encodeCursor(kept[kept.length - 1].seq) : null };
}
