import { randomUUID } from 'node:crypto';
import type { CreateWebhookEndpointBody } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import { refusedHost, type OutboundPolicy } from '../../platform/outbound-http.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { newSigningSecret } from './webhooks.policy.ts';
import { insertEndpoint, type EndpointRow } from './webhooks.repository.ts';

/** Refuses a target Tierlink will not send to (400 `webhook_url_not_allowed` naming the reason). */
export async function assertUrlAllowed(url: string, policy: OutboundPolicy): Promise<void> {
  const refused = await refusedHost(new URL(url), policy);
  if (refused !== null) throw new AppError('webhook_url_not_allowed', `Tierlink does not send events there: ${refused}.`, 'url');
}

/** A new endpoint of the caller's organization, enabled; its signing secret is answered once. */
export async function createEndpoint(
  ctx: UseCaseContext,
  input: CreateWebhookEndpointBody,
  policy: OutboundPolicy,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  await assertUrlAllowed(input.url, policy);
  const now = ctx.clock.now();
  const secret = newSigningSecret();
  const endpoint = await insertEndpoint(ctx.tx, {
    id: randomUUID(),
    organizationId: ctx.actor.organizationId,
    url: input.url,
    description: input.description ?? '',
    eventTypes: [...new Set(input.eventTypes)],
    enabled: true,
    secret: ctx.sealer.seal(secret),
    createdAt: now,
    updatedAt: now,
  });
  await ctx.audit.record({
    action: 'webhook_endpoint.created',
    target: { type: 'webhook_endpoint', id: endpoint.id },
    organizationIds: [ctx.actor.organizationId],
    after: { url: endpoint.url, eventTypes: endpoint.eventTypes },
  });
  return { endpoint, secret };
}
