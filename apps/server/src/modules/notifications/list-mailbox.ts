import { decodeCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listMailbox as listRows, type MailboxRow } from './notifications.repository.ts';

/**
 * Operators read every message (they run the installation); everyone else only what was sent to
 * their own address.
 */
export async function listMailbox(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string; to?: string },
): Promise<{ items: MailboxRow[]; nextCursor: string | null }> {
  const { actor } = ctx;
  const isOperator = actor.organizationKind === 'operator' && actor.roles.includes('global_admin');
  const own = actor.email;
  if (!isOperator && own === null) return { items: [], nextCursor: null };
  const to = isOperator ? query.to : own ?? undefined;
  if (!isOperator && query.to !== undefined && query.to !== own) return { items: [], nextCursor: null };
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listRows(ctx.tx, { limit: query.limit, after, to });
  return toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id]);
}
