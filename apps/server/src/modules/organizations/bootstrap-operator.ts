import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { findOperatorOrganization, findUserByEmail, provisionOrganization, provisionUser, type UserRow } from '../identity/index.ts';
import { lockOperatorBootstrap } from './organizations.repository.ts';

/**
 * Creates the first operator account when none exists (as Keycloak's bootstrap admin). There are
 * no default accounts: without this or demo data nobody can sign in as operator.
 */
export async function bootstrapOperator(ctx: AnonymousContext, input: { email: string; password: string }): Promise<UserRow | null> {
  // Held until COMMIT: a second node starting at the same moment waits, then finds the operator.
  await lockOperatorBootstrap(ctx.tx);
  if ((await findOperatorOrganization(ctx.tx)) !== undefined) return null;
  if ((await findUserByEmail(ctx.tx, input.email)) !== undefined) return null;
  const domain = input.email.split('@')[1] ?? 'operator.invalid';
  const organization = await provisionOrganization(ctx, { name: 'Operator', domain, country: 'US', kind: 'operator' });
  const { user } = await provisionUser(ctx, {
    organizationId: organization.id,
    email: input.email,
    displayName: 'Operator admin',
    roles: ['global_admin'],
    password: input.password,
  });
  await ctx.audit.record({
    action: 'operator.bootstrapped',
    actor: { userId: user.id, organizationId: organization.id, displayName: user.displayName },
    target: { type: 'organization', id: organization.id },
    organizationIds: [organization.id],
    after: { email: user.email },
  });
  return user;
}
