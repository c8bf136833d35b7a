import type { Role } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { insertApiKey, type ApiKeyRow } from './identity.repository.ts';
import { canGrantRoles } from './identity.policy.ts';

export const apiKeyPrefix = 'tl_';

/** The secret is returned once; only its SHA-256 is stored. */
export async function createApiKey(ctx: UseCaseContext, input: { name: string; roles: Role[] }): Promise<{ apiKey: ApiKeyRow; secret: string }> {
  const roles = [...new Set(input.roles)];
  if (!canGrantRoles(ctx.actor, roles)) {
    throw new AppError('role_ceiling', 'An API key cannot hold a role you do not hold.', 'roles');
  }
  const secret = `${apiKeyPrefix}${newToken()}`;
  const apiKey = await insertApiKey(ctx.tx, {
    id: newId(),
    organizationId: ctx.actor.organizationId,
    name: input.name,
    prefix: secret.slice(0, 10),
    secretHash: hashToken(secret),
    roles,
    createdByUserId: ctx.actor.userId,
    createdAt: ctx.clock.now(),
  });
  await ctx.audit.record({
    action: 'api_key.created',
    target: { type: 'api_key', id: apiKey.id },
    organizationIds: [ctx.actor.organizationId],
    after: { name: apiKey.name, roles },
  });
  return { apiKey, secret };
}
