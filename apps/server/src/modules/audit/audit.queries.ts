import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { auditEvents, organizations } from '../../db/schema.ts';

// Public reads of the audit log: other modules call these through index.ts.

export interface PartnerAction {
  id: string;
  occurredAt: Date;
  action: string;
  actorDisplayName: string | null;
  partner: { id: string; name: string; domain: string; country: string };
}

/**
 * The latest `limit` events concerning `organizationId` whose actor belongs to a partner
 * organization (a partner's agents acting in it): the same events its audit log lists, narrowed
 * by actor. Scoped by the GIN containment test the audit log uses.
 */
export async function recentPartnerActions(db: Executor, organizationId: string, limit: number): Promise<PartnerAction[]> {
  return db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      action: auditEvents.action,
      actorDisplayName: auditEvents.actorDisplayName,
      partner: { id: organizations.id, name: organizations.name, domain: organizations.domain, country: organizations.country },
    })
    .from(auditEvents)
    .innerJoin(organizations, eq(organizations.id, auditEvents.actorOrganizationId))
    .where(
      and(
        sql`${auditEvents.organizationIds} @> array[${organizationId}]::uuid[]`,
        ne(auditEvents.actorOrganizationId, organizationId),
        eq(organizations.kind, 'partner'),
      ),
    )
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(limit);
}
