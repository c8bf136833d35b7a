import { randomUUID } from 'node:crypto';
import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { messageBody } from './fan-out-event.ts';
import { resourceKey } from './webhooks.policy.ts';
import { findEndpoint, insertMessages, type MessageRow } from './webhooks.repository.ts';

/** Queues a `webhook.test` message for the endpoint, due at once (also when the endpoint is off). */
export async function sendTestEvent(ctx: UseCaseContext, id: string): Promise<Pick<MessageRow, 'id'>> {
  const endpoint = await findEndpoint(ctx.tx, ctx.actor.organizationId, id);
  if (endpoint === undefined) throw notFound('webhook endpoint');
  const now = ctx.clock.now();
  const messageId = `msg_${randomUUID()}`;
  const actor = { userId: ctx.actor.userId, organizationId: ctx.actor.organizationId, via: ctx.actor.type };
  await insertMessages(ctx.tx, [
    {
      id: messageId,
      endpointId: endpoint.id,
      organizationId: endpoint.organizationId,
      eventId: null,
      eventType: 'webhook.test',
      resourceKey: resourceKey({ type: 'webhook_test', id: messageId }),
      // Its own resource: nothing is ordered after it.
      position: 0,
      occurredAt: now,
      body: messageBody({
        type: 'webhook.test',
        timestamp: now.toISOString(),
        data: { endpointId: endpoint.id, message: 'A test event from Tierlink.' },
        organizationId: endpoint.organizationId,
        actor,
      }),
      state: 'pending',
      nextAttemptAt: now,
      createdAt: now,
    },
  ]);
  return { id: messageId };
}
