import type { ListCount } from '@tierlink/contract';
import { decodeSortCursor, toSortedPage } from '../../platform/sorted-keyset.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { auditSortKey, countEventsFor, listEventsFor, type AuditFilter, type AuditRowWithName } from './audit.repository.ts';

export type { AuditFilter };

export async function listAuditEvents(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string | undefined; order?: 'asc' | 'desc' | undefined; count?: 'true' | 'false' | undefined } & AuditFilter,
): Promise<{ items: AuditRowWithName[]; nextCursor: string | null; count: ListCount | null }> {
  const order = query.order ?? 'desc';
  // The cursor names the order it was made in: one of the other order answers 400.
  const after = decodeSortCursor(query.cursor, 'occurredAt', order, auditSortKey);
  const rows = await listEventsFor(ctx.tx, ctx.actor.organizationId, { limit: query.limit, after, filter: query, order });
  const page = toSortedPage(rows, query.limit, 'occurredAt', order, (r) => ({ values: [r.event.occurredAt.toISOString()], id: r.event.id }));
  const count = query.count === 'true' ? await countEventsFor(ctx.tx, ctx.actor.organizationId, query) : null;
  return { ...page, count };
}
