import { decodeCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { type UserRow } from './identity.queries.ts';
import { listUsersPage } from './identity.repository.ts';

/** Settings → User management: the users of the caller's own organization, by name. */
export async function listUsers(ctx: UseCaseContext, query: { limit: number; cursor?: string }): Promise<{ items: UserRow[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listUsersPage(ctx.tx, ctx.actor.organizationId, { limit: query.limit, after });
  return toPage(rows, query.limit, (u) => [u.displayName.toLowerCase(), u.id]);
}
