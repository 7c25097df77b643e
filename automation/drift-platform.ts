/**
 * The platform side of the drift check: list requests only (every page, 500 objects a page),
 * through the provider's client and settings. The requester is a collaborator, so a benchmark can
 * count or time it and a test can feed it.
 */
import { request } from "../provider/client";
import { kinds, type KindSpec } from "../provider/schemas";

type Obj = Record<string, any>;

export type ListPage = (path: string, cursor: string | undefined) => Promise<{ items: Obj[]; nextCursor?: string | null }>;

/** Lists through the provider's client (its retry policy, its error codes). */
export const providerListPage: ListPage = async (path, cursor) => (await request<{ items: Obj[]; nextCursor?: string | null }>({ method: "GET", path, query: { limit: "500", cursor } })).body;

export async function listAll(listPage: ListPage, path: string): Promise<Obj[]> {
  const items: Obj[] = [];
  let cursor: string | undefined;
  do {
    const page = await listPage(path, cursor);
    items.push(...(page.items ?? []));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Every kind that lives under a tenant. */
export const childKinds: KindSpec[] = Object.values(kinds).filter((k) => k.kind !== "Tenant");

export interface TenantObjects {
  /** kind → objects, by id. */
  byKind: Map<string, Map<string, Obj>>;
}

/** All objects of one tenant, one list (and its pages) per kind, the kinds in parallel. */
export async function listTenantObjects(listPage: ListPage, tenantId: string): Promise<TenantObjects> {
  const lists = await Promise.all(
    childKinds.map(async (k) => {
      const items = await listAll(listPage, `/v1/tenants/${encodeURIComponent(tenantId)}/${k.path}`);
      return [k.kind, new Map(items.map((o) => [String(o[k.idField]), o]))] as const;
    }),
  );
  return { byKind: new Map(lists) };
}

export async function listTenants(listPage: ListPage): Promise<Map<string, Obj>> {
  return new Map((await listAll(listPage, "/v1/tenants")).map((t) => [String(t.tenantId), t]));
}
