import { newId } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { findOperatorOrganization, findUserByEmail, insertOrganization, insertUser, type UserRow } from '../identity/index.ts';

/**
 * Creates the first operator account when none exists (as Keycloak's bootstrap admin). There are
 * no default accounts: without this or demo data nobody can sign in as operator.
 */
export async function bootstrapOperator(ctx: AnonymousContext, input: { email: string; password: string }): Promise<UserRow | null> {
  if ((await findOperatorOrganization(ctx.tx)) !== undefined) return null;
  if ((await findUserByEmail(ctx.tx, input.email)) !== undefined) return null;
  const now = ctx.clock.now();
  const domain = input.email.split('@')[1] ?? 'operator.invalid';
  const organization = await insertOrganization(ctx.tx, { id: newId(), name: 'Operator', domain, country: 'US', kind: 'operator', createdAt: now });
  const user = await insertUser(ctx.tx, {
    id: newId(),
    organizationId: organization.id,
    email: input.email,
    displayName: 'Operator admin',
    passwordHash: await hashPassword(input.password),
    roles: ['global_admin'],
    status: 'active',
    mustChangePassword: false,
    emailVerifiedAt: now,
    createdAt: now,
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
