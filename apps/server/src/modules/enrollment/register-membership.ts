import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashPassword, verifyPassword } from '../../platform/passwords.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findAccountByEmail, findMembership, insertAccount, insertMembership, type AccountRow, type MembershipRow } from './enrollment.repository.ts';

/**
 * The operator registers a membership (an organization profile with its membership id and country)
 * under a membership account; an account may hold several. Adding to an existing account needs its
 * password, so the registry never silently changes who can sign in.
 */
export async function registerMembership(
  ctx: UseCaseContext,
  input: { membershipId: string; legalName: string; country: string; accountEmail: string; accountPassword: string },
): Promise<{ membership: MembershipRow; account: AccountRow }> {
  if ((await findMembership(ctx.tx, input.membershipId)) !== undefined) {
    throw new AppError('conflict', 'This membership id is registered already.', 'membershipId');
  }
  const now = ctx.clock.now();
  let account = await findAccountByEmail(ctx.tx, input.accountEmail);
  if (account === undefined) {
    account = await insertAccount(ctx.tx, { id: newId(), email: input.accountEmail, passwordHash: await hashPassword(input.accountPassword), createdAt: now });
  } else if (!(await verifyPassword(account.passwordHash, input.accountPassword))) {
    throw new AppError('conflict', 'This membership account exists with another password.', 'accountPassword');
  }
  const membership = await insertMembership(ctx.tx, {
    id: newId(),
    accountId: account.id,
    membershipId: input.membershipId,
    legalName: input.legalName,
    country: input.country,
    createdAt: now,
  });
  await ctx.audit.record({
    action: 'membership.registered',
    target: { type: 'membership', id: membership.id },
    organizationIds: [ctx.actor.organizationId],
    after: { membershipId: membership.membershipId, legalName: membership.legalName, country: membership.country, accountEmail: account.email },
  });
  return { membership, account };
}
