/** Cursor pagination: the cursor is the position (row sequence) after which the next page starts. */
import { z } from "zod";
import { Problem } from "../problems";
import { limits } from "../../provider/schemas/limits";

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(limits.pageSize).default(50).describe(`Page size, 1–${limits.pageSize} (default 50).`),
  cursor: z.string().regex(/^[0-9]{1,15}$/, "must be the nextCursor of a previous page").optional().describe("The nextCursor of the previous page (a position: every such value is valid)."),
};

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const m = /^(\d{1,15})$/.exec(cursor);
  if (!m) throw new Problem("invalid-request", `The cursor ${JSON.stringify(cursor)} is not one this platform issued; pass nextCursor from the previous page.`, [{ path: "cursor", message: "invalid cursor" }]);
  return Number(m[1]);
}

/** The position itself: any position is a valid place to resume, so the document can say exactly what is accepted. */
export const encodeCursor = (seq: number): string => String(seq);

/** Rows are fetched with limit + 1 to know whether another page exists. */
export function page<R extends { seq: number }, T>(rows: R[], limit: number, map: (r: R) => T): { items: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), nextCursor: more ? encodeCursor(kept[kept.length - 1].seq) : null };
}
