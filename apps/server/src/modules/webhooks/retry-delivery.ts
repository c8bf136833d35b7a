import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { lockMessage, requeueMessage, type MessageRow } from './webhooks.repository.ts';

/** Sends a message again now, under the same `webhook-id` (receivers deduplicate on it). */
export async function retryDelivery(ctx: UseCaseContext, id: string): Promise<MessageRow> {
  const message = await lockMessage(ctx.tx, ctx.actor.organizationId, id);
  if (message === undefined) throw notFound('webhook delivery');
  const requeued = await requeueMessage(ctx.tx, id, ctx.clock.now());
  await ctx.audit.record({
    action: 'webhook_delivery.retried',
    target: { type: 'webhook_endpoint', id: message.endpointId },
    organizationIds: [ctx.actor.organizationId],
    after: { webhookId: id },
  });
  return requeued;
}
