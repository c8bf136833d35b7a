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

export interface ActionThrough {
  id: string;
  onBehalfOfId: string;
  occurredAt: Date;
  action: string;
  actorDisplayName: string | null;
}

/**
 * The latest `limit` actions done through each of the given delegated admin relationships (their
 * events' on-behalf-of), newest first: one range of the on-behalf-of index per relationship.
 */
export async function actionsThrough(db: Executor, relationshipIds: readonly string[], limit: number): Promise<ActionThrough[]> {
  if (relationshipIds.length === 0) return [];
  const result = (await db.execute(sql`
    select e.id, e.on_behalf_of_id, e.occurred_at, e.action, e.actor_display_name
      from unnest(array[${sql.join(
        relationshipIds.map((id) => sql`${id}`),
        sql`, `,
      )}]::uuid[]) as r(id)
      cross join lateral (
        select a.id, a.on_behalf_of_id, a.occurred_at, a.action, a.actor_display_name from ${auditEvents} a
         where a.on_behalf_of_id = r.id and a.on_behalf_of_type = 'delegated_admin_grant'
         order by a.occurred_at desc, a.id desc limit ${limit}
      ) e`)) as unknown as { rows: { id: string; on_behalf_of_id: string; occurred_at: string | Date; action: string; actor_display_name: string | null }[] };
  return result.rows.map((r) => ({ id: r.id, onBehalfOfId: r.on_behalf_of_id, occurredAt: new Date(r.occurred_at), action: r.action, actorDisplayName: r.actor_display_name }));
}
