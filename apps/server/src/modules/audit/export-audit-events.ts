import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listEventsFor, type AuditFilter, type AuditRowWithName } from './audit.repository.ts';

/** Rows fetched per statement while exporting: memory stays bounded however long the log is. */
const batch = 1000;

/**
 * Every event the filter shows, newest first, in keyset batches: the CSV export streams them, with
 * no row cap. Each batch is its own statement (a read, no transaction): an event committed while
 * the export runs appears when it sorts after the batch that is being read, never twice.
 */
export async function* exportAuditEvents(ctx: UseCaseContext, filter: AuditFilter): AsyncGenerator<AuditRowWithName[]> {
  let after: [string, string] | null = null;
  for (;;) {
    const rows = await listEventsFor(ctx.tx, ctx.actor.organizationId, { limit: batch - 1, after, filter });
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1];
    if (rows.length < batch || last === undefined) return;
    after = [last.event.occurredAt.toISOString(), last.event.id];
  }
}
