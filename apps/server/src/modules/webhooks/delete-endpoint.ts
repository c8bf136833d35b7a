import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { deleteEndpointRow, findEndpoint } from './webhooks.repository.ts';

/** Deletes an endpoint with its messages and their delivery log; nothing more is sent to it. */
export async function deleteEndpoint(ctx: UseCaseContext, id: string): Promise<void> {
  const endpoint = await findEndpoint(ctx.tx, ctx.actor.organizationId, id, { lock: true });
  if (endpoint === undefined) throw notFound('webhook endpoint');
  await deleteEndpointRow(ctx.tx, id);
  await ctx.audit.record({
    action: 'webhook_endpoint.deleted',
    target: { type: 'webhook_endpoint', id },
    organizationIds: [ctx.actor.organizationId],
    before: { url: endpoint.url, eventTypes: endpoint.eventTypes },
  });
}
