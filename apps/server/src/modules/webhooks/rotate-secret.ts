import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { newSigningSecret, rotationOverlapMs } from './webhooks.policy.ts';
import { findEndpoint, updateEndpointRow, type EndpointRow } from './webhooks.repository.ts';

/**
 * A new signing secret, answered once. For 24 hours every message is signed with both, so a
 * receiver can switch over without losing a message.
 */
export async function rotateSecret(ctx: UseCaseContext, id: string): Promise<{ endpoint: EndpointRow; secret: string }> {
  const endpoint = await findEndpoint(ctx.tx, ctx.actor.organizationId, id, { lock: true });
  if (endpoint === undefined) throw notFound('webhook endpoint');
  const now = ctx.clock.now();
  const secret = newSigningSecret();
  const updated = await updateEndpointRow(ctx.tx, id, {
    secret: ctx.sealer.seal(secret),
    previousSecret: endpoint.secret,
    previousSecretExpiresAt: new Date(now.getTime() + rotationOverlapMs),
    updatedAt: now,
  });
  await ctx.audit.record({
    action: 'webhook_endpoint.secret_rotated',
    target: { type: 'webhook_endpoint', id },
    organizationIds: [ctx.actor.organizationId],
  });
  return { endpoint: updated, secret };
}
