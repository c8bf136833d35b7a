import { decodeCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listEventsFor, type AuditRow } from './audit.repository.ts';

export async function listAuditEvents(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string; targetId?: string },
): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listEventsFor(ctx.tx, ctx.actor.organizationId, { limit: query.limit, after, targetId: query.targetId });
  return toPage(rows, query.limit, (r) => [r.occurredAt.toISOString(), r.id]);
}
