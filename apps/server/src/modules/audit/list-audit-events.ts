import type { ListCount } from '@tierlink/contract';
import { decodeSortedCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { countEventsFor, listEventsFor, type AuditFilter, type AuditRowWithName } from './audit.repository.ts';

export type { AuditFilter };

/** The cursor names the order it was made in: one of the other order answers 400. */
export const auditCursorTag = (order: 'asc' | 'desc') => `occurredAt:${order}`;

export async function listAuditEvents(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string | undefined; order?: 'asc' | 'desc' | undefined; count?: 'true' | 'false' | undefined } & AuditFilter,
): Promise<{ items: AuditRowWithName[]; nextCursor: string | null; count: ListCount | null }> {
  const order = query.order ?? 'desc';
  const after = decodeSortedCursor(query.cursor, auditCursorTag(order), 'timestamptz');
  const rows = await listEventsFor(ctx.tx, ctx.actor.organizationId, { limit: query.limit, after, filter: query, order });
  const page = toPage(rows, query.limit, (r) => [auditCursorTag(order), r.event.occurredAt.toISOString(), r.event.id]);
  const count = query.count === 'true' ? await countEventsFor(ctx.tx, ctx.actor.organizationId, query) : null;
  return { ...page, count };
}
