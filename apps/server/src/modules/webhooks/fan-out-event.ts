import type { OrganizationKind } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import { findOrganization } from '../identity/index.ts';
import { eventData } from './event-data.ts';
import { eventTypeOf, isInAudience, isSubscribed, resourceKey } from './webhooks.policy.ts';
import { enabledEndpointsOf, insertMessages } from './webhooks.repository.ts';

/** What the unit of work publishes with an audited change (see `publishedEvent` there). */
export interface PublishedEvent {
  action: string;
  occurredAt: string;
  target: { type: string; id: string };
  organizationIds: string[];
  actor: { userId: string | null; organizationId: string; via: string } | null;
  before: unknown;
  after: unknown;
}

/** The body every attempt of a message sends (Standard Webhooks' payload shape plus Tierlink's fields). */
export function messageBody(e: { type: string; timestamp: string; data: unknown; organizationId: string; actor: PublishedEvent['actor'] }): string {
  return JSON.stringify({ type: e.type, timestamp: e.timestamp, data: e.data, organizationId: e.organizationId, actor: e.actor });
}

/**
 * Turns one committed event into a message per subscribed endpoint, in the transaction that marks
 * the outbox event handled (so it happens once). An organization hears of an event only when the
 * change concerns it (it reads the audit record) and its kind reads such resources through the
 * API; the data is the resource as the API presents it, read now.
 */
export async function fanOutEvent(tx: Executor, clock: Clock, eventId: string, sequence: number, event: PublishedEvent): Promise<number> {
  const type = eventTypeOf(event.action, event.before, event.after);
  if (type === null) return 0;
  const occurredAt = new Date(event.occurredAt);
  // An endpoint hears of changes made after its creation, not of older ones still in the outbox.
  const endpoints = (await enabledEndpointsOf(tx, event.organizationIds)).filter(
    (e) => isSubscribed(e.eventTypes, type) && e.createdAt.getTime() < occurredAt.getTime(),
  );
  if (endpoints.length === 0) return 0;
  const kinds = new Map<string, OrganizationKind | undefined>();
  for (const id of new Set(endpoints.map((e) => e.organizationId))) kinds.set(id, (await findOrganization(tx, id))?.kind);
  const now = clock.now();
  const data = await eventData(tx, type, event.target, now);
  if (data === null) return 0;
  const rows = endpoints
    .filter((e) => {
      const kind = kinds.get(e.organizationId);
      return kind !== undefined && isInAudience(type, kind);
    })
    .map((e) => ({
      id: `msg_${newTimeOrderedId()}`,
      endpointId: e.id,
      organizationId: e.organizationId,
      eventId,
      eventType: type,
      resourceKey: resourceKey(event.target),
      position: sequence,
      occurredAt,
      body: messageBody({ type, timestamp: event.occurredAt, data, organizationId: e.organizationId, actor: event.actor }),
      state: 'pending' as const,
      nextAttemptAt: now,
      createdAt: now,
    }));
  await insertMessages(tx, rows);
  return rows.length;
}
