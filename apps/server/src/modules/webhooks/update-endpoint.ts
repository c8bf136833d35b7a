import type { UpdateWebhookEndpointBody } from '@tierlink/contract';
import { notFound } from '../../platform/errors.ts';
import type { OutboundPolicy } from '../../platform/outbound-http.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { assertUrlAllowed } from './create-endpoint.ts';
import { findEndpoint, updateEndpointRow, type EndpointRow } from './webhooks.repository.ts';

/** Changes an endpoint; enabling it again clears why Tierlink had switched it off. */
export async function updateEndpoint(ctx: UseCaseContext, id: string, input: UpdateWebhookEndpointBody, policy: OutboundPolicy): Promise<EndpointRow> {
  const endpoint = await findEndpoint(ctx.tx, ctx.actor.organizationId, id, { lock: true });
  if (endpoint === undefined) throw notFound('webhook endpoint');
  if (input.url !== undefined) await assertUrlAllowed(input.url, policy);
  const enabling = input.enabled === true && !endpoint.enabled;
  const updated = await updateEndpointRow(ctx.tx, id, {
    ...(input.url === undefined ? {} : { url: input.url }),
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.eventTypes === undefined ? {} : { eventTypes: [...new Set(input.eventTypes)] }),
    ...(input.enabled === undefined ? {} : { enabled: input.enabled, disabledReason: null }),
    ...(enabling ? { failingSince: null } : {}),
    updatedAt: ctx.clock.now(),
  });
  await ctx.audit.record({
    action: 'webhook_endpoint.updated',
    target: { type: 'webhook_endpoint', id },
    organizationIds: [ctx.actor.organizationId],
    before: { url: endpoint.url, description: endpoint.description, eventTypes: endpoint.eventTypes, enabled: endpoint.enabled },
    after: { url: updated.url, description: updated.description, eventTypes: updated.eventTypes, enabled: updated.enabled },
  });
  return updated;
}
