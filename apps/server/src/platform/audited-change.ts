import { sql, type SQL } from 'drizzle-orm';
import { publishedActions } from '@tierlink/contract';
import { auditEvents, outboxMessages } from '../db/schema.ts';
import type { AuditEventRow, AuditStamp } from './audit.ts';
import type { OutboxRow } from './outbox.ts';

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

/** Written into the text (a CTE's name, the catalog's actions): plain words only. */
const word = /^[a-z][a-z_]*(\.[a-z_]+)*$/;
const stampParam = (name: string, type: string) => sql`${sql.placeholder(`audit_${name}`)}::${sql.raw(type)}`;
const literals = (words: readonly string[]) =>
  sql.raw(
    words
      .map((w) => {
        if (!word.test(w)) throw new Error(`not a plain word: ${w}`);
        return `'${w}'`;
      })
      .join(', '),
  );

/**
 * For a write that is one statement, its audit records and their published events included: the
 * CTEs `audited` (the audit rows) and `published` (the outbox messages of the records whose action
 * is published, with the payload `publishedEvent` would make, in clear like every event's), to
 * follow the caller's CTE `change`: one row per record (`n int, action text, target_type text,
 * target_id uuid, organization_ids uuid[], on_behalf_of_type text, on_behalf_of_id uuid, before
 * jsonb, after jsonb`), `n` numbering them from 1 in the order they are recorded (a gap leaves its
 * ids unused); no row, no record. A record whose action is in the contract's
 * catalog gets its event, as in `runInTransaction`. The acting organization joins
 * `organization_ids` as `Audit.record` adds it. The values are the stamp's: pass
 * `stampValues(ctx.audit.stamp(records))` with the statement's own, `records` at least the most
 * rows `change` can yield (a row past the stamp has no id: the insert fails).
 */
export function auditedChange(change: string): SQL {
  if (!word.test(change)) throw new Error(`not a plain word: ${change}`);
  const actor = stampParam('actorOrganizationId', 'uuid');
  const id = sql`(${stampParam('ids', 'uuid[]')})[c.n]`;
  const audited = sql`audited as (
    insert into ${auditEvents} (id, occurred_at, action, actor_user_id, actor_api_key_id, actor_organization_id, actor_display_name,
      on_behalf_of_type, on_behalf_of_id, target_type, target_id, organization_ids, before, after, request_id)
    select ${id}, ${stampParam('occurredAt', 'timestamptz')}, c.action, ${stampParam('actorUserId', 'uuid')},
      ${stampParam('actorApiKeyId', 'uuid')}, ${actor}, ${stampParam('actorDisplayName', 'text')}, c.on_behalf_of_type, c.on_behalf_of_id,
      c.target_type, c.target_id,
      c.organization_ids || case when ${actor} is null or ${actor} = any(c.organization_ids) then '{}'::uuid[] else array[${actor}] end,
      c.before, c.after, ${stampParam('requestId', 'text')}
    from ${sql.raw(change)} c
    order by c.n
    returning *
  )`;
  return sql`${audited},
  published as (
    insert into ${outboxMessages} (id, kind, topic, ordering_key, payload, state, next_attempt_at, created_at)
    select (${stampParam('eventIds', 'uuid[]')})[c.n], 'event', a.action, a.target_type || ':' || a.target_id,
      ${publishedEventJson('a', stampParam('occurredAt', 'text'))}, 'pending', a.occurred_at, a.occurred_at
    from ${sql.raw(change)} c join audited a on a.id = ${id}
    where a.action in (${literals([...publishedActions].sort())})
    order by c.n
  )`;
}

/** The placeholders' values of `auditedChange` for `stamp`. */
export function stampValues(stamp: AuditStamp): Record<string, string | readonly string[] | null> {
  return {
    audit_ids: stamp.ids,
    audit_eventIds: stamp.eventIds,
    audit_occurredAt: stamp.occurredAt.toISOString(),
    audit_actorUserId: stamp.actorUserId,
    audit_actorApiKeyId: stamp.actorApiKeyId,
    audit_actorOrganizationId: stamp.actorOrganizationId,
    audit_actorDisplayName: stamp.actorDisplayName,
    audit_requestId: stamp.requestId,
  };
}

/**
 * For a write that is one statement: the CTE `mailed`, which inserts the emails (`emailRow`, sealed
 * in Node) passed as `emailValues`, in their order, only if the CTE `gate` yields a row (the change
 * happened).
 */
export function queuedEmails(gate: string): SQL {
  if (!word.test(gate)) throw new Error(`not a plain word: ${gate}`);
  return sql`mailed as (
    insert into ${outboxMessages} (id, kind, topic, ordering_key, payload, state, next_attempt_at, created_at)
    select m.id, 'email', m.topic, null, m.payload, 'pending', m.next_attempt_at, m.next_attempt_at
    from jsonb_to_recordset(${sql.placeholder('outbox_emails')}::jsonb) as m(n int, id uuid, topic text, payload text, next_attempt_at timestamptz)
    where exists (select 1 from ${sql.raw(gate)})
    order by m.n
  )`;
}

/** The placeholder's value of `queuedEmails` for `rows` (each made by `emailRow`). */
export function emailValues(rows: readonly OutboxRow[]): { outbox_emails: string } {
  return {
    outbox_emails: JSON.stringify(
      rows.map((r, n) => {
        if (r.kind !== 'email') throw new Error(`not an email: ${r.kind}`);
        return { n, id: r.id, topic: r.topic, payload: r.payload, next_attempt_at: r.nextAttemptAt };
      }),
    ),
  };
}
