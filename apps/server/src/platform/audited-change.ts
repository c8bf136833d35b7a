import { sql, type SQL } from 'drizzle-orm';
import { publishedActions } from '@tierlink/contract';
import { auditEvents, outboxMessages } from '../db/schema.ts';
import type { AuditEventRow, AuditStamp } from './audit.ts';

/**
 * An audited change that is also a public event (the contract's catalog) goes to the outbox with
 * its audit record, so subscribers learn of exactly what committed. Consumers present the resource
 * afresh; these fields only say what changed, where, and who may hear of it. `publishedEventJson`
 * builds the same object in SQL, for a change that writes its own audit row.
 */
export function publishedEvent(row: AuditEventRow): Record<string, unknown> {
  return {
    auditEventId: row.id,
    action: row.action,
    occurredAt: row.occurredAt.toISOString(),
    target: { type: row.targetType, id: row.targetId },
    organizationIds: row.organizationIds,
    actor:
      row.actorOrganizationId === null || row.actorOrganizationId === undefined
        ? null
        : {
            userId: row.actorUserId ?? null,
            organizationId: row.actorOrganizationId,
            via: row.onBehalfOfType === null || row.onBehalfOfType === undefined ? (row.actorApiKeyId ? 'api_key' : 'user') : 'delegated_admin',
          },
    before: row.before ?? null,
    after: row.after ?? null,
  };
}

/** `publishedEvent` of the audit row `a` (an `audit_events` row), as JSON text; `occurredAt` is the stamp's ISO text. */
function publishedEventJson(a: string, occurredAt: SQL): SQL {
  return sql`json_build_object('auditEventId', ${sql.raw(a)}.id, 'action', ${sql.raw(a)}.action, 'occurredAt', ${occurredAt},
    'target', json_build_object('type', ${sql.raw(a)}.target_type, 'id', ${sql.raw(a)}.target_id),
    'organizationIds', ${sql.raw(a)}.organization_ids,
    'actor', case when ${sql.raw(a)}.actor_organization_id is null then null
      else json_build_object('userId', ${sql.raw(a)}.actor_user_id, 'organizationId', ${sql.raw(a)}.actor_organization_id,
        'via', case when ${sql.raw(a)}.on_behalf_of_type is not null then 'delegated_admin'
          when ${sql.raw(a)}.actor_api_key_id is not null then 'api_key' else 'user' end) end,
    'before', ${sql.raw(a)}.before, 'after', ${sql.raw(a)}.after)::text`;
}

/** Written into the text as literals: plain words only. */
const word = /^[a-z][a-z_]*(\.[a-z_]+)*$/;
const stampParam = (name: keyof AuditStamp, type: 'uuid' | 'text' | 'timestamptz') => sql`${sql.placeholder(`audit_${name}`)}::${sql.raw(type)}`;

/**
 * For a write that is one statement, its audit record and its published event included: the CTEs
 * `audited` (the audit row) and, when `action` is published, `published` (its outbox message, the
 * payload `publishedEvent` would make, in clear like every event's), to follow the caller's CTE
 * `change`, which yields at most one row (`target_id uuid, organization_ids uuid[], before jsonb,
 * after jsonb`): no row, no record. The acting organization joins `organization_ids` as
 * `Audit.record` adds it. The values are the stamp's (`Audit.stamp(action)`): pass
 * `stampValues(stamp)` with the statement's own.
 */
export function auditedChange(q: { action: string; targetType: string; change: string }): SQL {
  for (const literal of [q.action, q.targetType, q.change]) if (!word.test(literal)) throw new Error(`not a plain word: ${literal}`);
  const actorOrganization = stampParam('actorOrganizationId', 'uuid');
  const audited = sql`audited as (
    insert into ${auditEvents} (id, occurred_at, action, actor_user_id, actor_api_key_id, actor_organization_id, actor_display_name,
      target_type, target_id, organization_ids, before, after, request_id)
    select ${stampParam('id', 'uuid')}, ${stampParam('occurredAt', 'timestamptz')}, ${sql.raw(`'${q.action}'`)}, ${stampParam('actorUserId', 'uuid')},
      ${stampParam('actorApiKeyId', 'uuid')}, ${actorOrganization}, ${stampParam('actorDisplayName', 'text')}, ${sql.raw(`'${q.targetType}'`)}, c.target_id,
      c.organization_ids || case when ${actorOrganization} is null or ${actorOrganization} = any(c.organization_ids) then '{}'::uuid[]
        else array[${actorOrganization}] end,
      c.before, c.after, ${stampParam('requestId', 'text')}
    from ${sql.raw(q.change)} c
    returning *
  )`;
  if (!publishedActions.has(q.action)) return audited;
  return sql`${audited},
  published as (
    insert into ${outboxMessages} (id, kind, topic, ordering_key, payload, state, next_attempt_at, created_at)
    select ${stampParam('eventId', 'uuid')}, 'event', a.action, a.target_type || ':' || a.target_id,
      ${publishedEventJson('a', stampParam('occurredAt', 'text'))}, 'pending', a.occurred_at, a.occurred_at
    from audited a
  )`;
}

/** The placeholders' values of `auditedChange` for `stamp`. */
export function stampValues(stamp: AuditStamp): Record<string, string | null> {
  return {
    audit_id: stamp.id,
    audit_occurredAt: stamp.occurredAt.toISOString(),
    audit_actorUserId: stamp.actorUserId,
    audit_actorApiKeyId: stamp.actorApiKeyId,
    audit_actorOrganizationId: stamp.actorOrganizationId,
    audit_actorDisplayName: stamp.actorDisplayName,
    audit_requestId: stamp.requestId,
    audit_eventId: stamp.eventId,
  };
}
