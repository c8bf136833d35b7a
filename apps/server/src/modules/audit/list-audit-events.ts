import { decodeCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listEventsFor, type AuditFilter, type AuditRowWithName } from './audit.repository.ts';

export type { AuditFilter };

export async function listAuditEvents(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string | undefined } & AuditFilter,
): Promise<{ items: AuditRowWithName[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listEventsFor(ctx.tx, ctx.actor.organizationId, { limit: query.limit, after, filter: query });
  return toPage(rows, query.limit, (r) => [r.event.occurredAt.toISOString(), r.event.id]);
}
