import { sql, type SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import type { AuditEventRow } from '../src/platform/audit.ts';
import { publishedEvent } from '../src/platform/audited-change.ts';
import { queryRows, type TestContext } from './harness.ts';

export type AuditRecord = AuditEventRow & { occurredAt: Date; organizationIds: string[] };

/** The audit records matching `where` (on `audit_events`), in the order they were written. */
export async function auditRecords(t: TestContext, where: SQL): Promise<AuditRecord[]> {
  const rows = await queryRows<AuditRecord>(
    t,
    sql`select id, occurred_at as "occurredAt", action, actor_user_id as "actorUserId", actor_api_key_id as "actorApiKeyId",
          actor_organization_id as "actorOrganizationId", actor_display_name as "actorDisplayName", on_behalf_of_type as "onBehalfOfType",
          on_behalf_of_id as "onBehalfOfId", target_type as "targetType", target_id as "targetId", organization_ids as "organizationIds",
          before, after, request_id as "requestId"
        from audit_events where ${where} order by occurred_at, id`,
  );
  return rows.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt) }));
}

/**
 * Asserts that each record has exactly one outbox event, on its resource's ordering key, whose
 * payload is what the unit of work makes of the record (`publishedEvent`), stored in clear; and
 * that the events were queued in the records' order.
 */
export async function expectPublished(t: TestContext, records: readonly AuditRecord[]): Promise<void> {
  const ids = records.map((r) => r.id);
  const events = await queryRows<{ topic: string; orderingKey: string; payload: string }>(
    t,
    sql`select topic, ordering_key as "orderingKey", payload from outbox_messages
        where kind = 'event' and payload::jsonb ->> 'auditEventId' = any(${`{${ids.join(',')}}`}::text[]) order by sequence`,
  );
  expect(events.map((e) => JSON.parse(e.payload) as unknown)).toEqual(records.map((r) => publishedEvent(r)));
  expect(events.map((e) => [e.topic, e.orderingKey])).toEqual(records.map((r) => [r.action, `${r.targetType}:${r.targetId}`]));
}
