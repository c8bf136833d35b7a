import { countCap, type ListCount } from '@tierlink/contract';
import { and, eq, gte, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { countUpTo } from '../../platform/cursor.ts';
import { keysetAfterSorted, orderBySorted, type SortAfter, type SortKey } from '../../platform/sorted-keyset.ts';
import { auditEvents, organizations } from '../../db/schema.ts';

export type AuditRow = typeof auditEvents.$inferSelect;

/** An event with the name of its object, when the event or the organizations table knows it. */
export interface AuditRowWithName {
  event: AuditRow;
  targetName: string | null;
}

/** Narrowing filters of the audit log; each one is ANDed with the caller's organization. */
export interface AuditFilter {
  from?: Date | undefined;
  to?: Date | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  onBehalfOf?: string | undefined;
}

/**
 * The events that concern `organizationId` and pass the filter. Scoping stays one containment test
 * the GIN index answers; on behalf of an organization, that organization joins the containment.
 */
function conditions(organizationId: string, filter: AuditFilter): SQL | undefined {
  const concerned = filter.onBehalfOf === undefined ? [organizationId] : [organizationId, filter.onBehalfOf];
  return and(
    sql`${auditEvents.organizationIds} @> ${sql`array[${sql.join(concerned.map((id) => sql`${id}`), sql`, `)}]::uuid[]`}`,
    filter.onBehalfOf === undefined ? undefined : isNotNull(auditEvents.onBehalfOfType),
    filter.from === undefined ? undefined : gte(auditEvents.occurredAt, filter.from),
    filter.to === undefined ? undefined : lt(auditEvents.occurredAt, filter.to),
    filter.actorId === undefined ? undefined : or(eq(auditEvents.actorUserId, filter.actorId), eq(auditEvents.actorApiKeyId, filter.actorId)),
    filter.action === undefined ? undefined : eq(auditEvents.action, filter.action),
    filter.targetType === undefined ? undefined : eq(auditEvents.targetType, filter.targetType),
    filter.targetId === undefined ? undefined : eq(auditEvents.targetId, filter.targetId),
  );
}

/**
 * The object's name: an organization's from the organizations table (read by every module for
 * names), otherwise what the event itself recorded (a key's or product's name, a user's display
 * name, an invitee's email).
 */
const targetName = sql<string | null>`coalesce(${organizations.name},
  ${auditEvents.after}->>'name', ${auditEvents.after}->>'displayName', ${auditEvents.after}->>'email',
  ${auditEvents.before}->>'name', ${auditEvents.before}->>'displayName', ${auditEvents.before}->>'email')`;

/** The audit log's one sort: the time of the event (the id breaks ties). */
export const auditSortKey: SortKey = { columns: [{ sql: auditEvents.occurredAt, type: 'timestamptz' }] };

/** Events that concern the organization and pass the filter, newest first unless `order` is `asc`; ties by id. */
export async function listEventsFor(
  db: Executor,
  organizationId: string,
  query: { limit: number; after: SortAfter | null; filter: AuditFilter; order?: 'asc' | 'desc' },
): Promise<AuditRowWithName[]> {
  const order = query.order ?? 'desc';
  return db
    .select({ event: auditEvents, targetName })
    .from(auditEvents)
    .leftJoin(organizations, eq(organizations.id, auditEvents.targetId))
    .where(and(conditions(organizationId, query.filter), keysetAfterSorted(auditSortKey, auditEvents.id, order, query.after)))
    .orderBy(...orderBySorted(auditSortKey, auditEvents.id, order))
    .limit(query.limit + 1);
}

/** How many events the filter keeps, exact up to the count cap. */
export async function countEventsFor(db: Executor, organizationId: string, filter: AuditFilter): Promise<ListCount> {
  return countUpTo(db, db.select({ one: sql`1` }).from(auditEvents).where(conditions(organizationId, filter)).limit(countCap + 1));
}
