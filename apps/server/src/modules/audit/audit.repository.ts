import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { beforeTime } from '../../platform/cursor.ts';
import { auditEvents } from '../../db/schema.ts';

export type AuditRow = typeof auditEvents.$inferSelect;

/** Events that concern the organization, newest first; the GIN index answers the containment test. */
export async function listEventsFor(
  db: Executor,
  organizationId: string,
  query: { limit: number; after: [string, string] | null; targetId?: string },
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        sql`${auditEvents.organizationIds} @> array[${organizationId}]::uuid[]`,
        query.targetId === undefined ? undefined : eq(auditEvents.targetId, query.targetId),
        beforeTime(auditEvents.occurredAt, auditEvents.id, query.after),
      ),
    )
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(query.limit + 1);
}
