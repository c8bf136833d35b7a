import type { ListCount, UserSort } from '@tierlink/contract';
import { decodeSortCursor, toSortedPage } from '../../platform/sorted-keyset.ts';
import { exportBatch, keysetBatches } from '../../platform/http/csv-response.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { type UserRow } from './identity.queries.ts';
import { countOrganizationUsers, listUsersPage, userSortKey } from './identity.repository.ts';

export interface UserListFilter {
  search?: string | undefined;
  sort?: UserSort | undefined;
  order?: 'asc' | 'desc' | undefined;
}

/** Settings → User management: the users of the caller's own organization, by name unless asked otherwise. */
export async function listUsers(
  ctx: UseCaseContext,
  query: UserListFilter & { limit: number; cursor?: string | undefined; count?: 'true' | 'false' | undefined },
): Promise<{ items: UserRow[]; nextCursor: string | null; count: ListCount | null }> {
  const sort = query.sort ?? 'name';
  const order = query.order ?? 'asc';
  const after = decodeSortCursor(query.cursor, sort, order, userSortKey(sort));
  const rows = await listUsersPage(ctx.tx, ctx.actor.organizationId, { limit: query.limit, after, search: query.search, sort, order });
  const page = toSortedPage(rows, query.limit, sort, order, (r) => ({ values: [r.sortKey], id: r.user.id }));
  const count = query.count === 'true' ? await countOrganizationUsers(ctx.tx, ctx.actor.organizationId, query.search) : null;
  return { items: page.items.map((r) => r.user), nextCursor: page.nextCursor, count };
}

/** Every user the search keeps, in the order asked, in keyset batches: the CSV export streams them. */
export function exportUsers(ctx: UseCaseContext, filter: UserListFilter): AsyncGenerator<UserRow[]> {
  const sort = filter.sort ?? 'name';
  const order = filter.order ?? 'asc';
  const batches = keysetBatches<{ user: UserRow; sortKey: string }>((last) =>
    listUsersPage(ctx.tx, ctx.actor.organizationId, {
      limit: exportBatch - 1,
      after: last === null ? null : { values: [last.sortKey], id: last.user.id },
      search: filter.search,
      sort,
      order,
    }),
  );
  async function* users() {
    for await (const rows of batches) yield rows.map((r) => r.user);
  }
  return users();
}
