import { exportBatch, keysetBatches } from '../../platform/http/csv-response.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listEventsFor, type AuditFilter, type AuditRowWithName } from './audit.repository.ts';

/**
 * Every event the filter shows, newest first unless `order` is `asc`, in keyset batches: the CSV
 * export streams them, with no row cap. Each batch is its own statement (a read, no transaction):
 * an event committed while the export runs appears when it sorts after the batch that is being
 * read, never twice.
 */
export function exportAuditEvents(ctx: UseCaseContext, filter: AuditFilter, order: 'asc' | 'desc' = 'desc'): AsyncGenerator<AuditRowWithName[]> {
  return keysetBatches<AuditRowWithName>((last) =>
    listEventsFor(ctx.tx, ctx.actor.organizationId, {
      limit: exportBatch - 1,
      after: last === null ? null : { values: [last.event.occurredAt.toISOString()], id: last.event.id },
      filter,
      order,
    }),
  );
}
