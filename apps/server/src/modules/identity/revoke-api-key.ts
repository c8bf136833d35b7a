import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { lockApiKey, setApiKeyRevoked, type ApiKeyRow } from './identity.repository.ts';

export async function revokeApiKey(ctx: UseCaseContext, id: string): Promise<ApiKeyRow> {
  const key = await lockApiKey(ctx.tx, ctx.actor.organizationId, id);
  if (key === undefined) throw notFound('API key');
  if (key.revokedAt !== null) return key;
  const revoked = await setApiKeyRevoked(ctx.tx, id, ctx.clock.now());
  if (revoked === undefined) throw notFound('API key');
  await ctx.audit.record({
    action: 'api_key.revoked',
    target: { type: 'api_key', id },
    organizationIds: [ctx.actor.organizationId],
  });
  return revoked;
}
