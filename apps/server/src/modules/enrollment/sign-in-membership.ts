import { AppError } from '../../platform/errors.ts';
import { burnPasswordCheck, verifyPassword } from '../../platform/passwords.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { membershipSignInLifetimeMs } from './enrollment.policy.ts';
import { findAccountByEmail, insertSignIn, listAccountMemberships, type MembershipRow } from './enrollment.repository.ts';

/** Enrollment step "sign in to the membership registry": lists the account's profiles. */
export async function signInMembership(
  ctx: UseCaseContext,
  input: { accountEmail: string; accountPassword: string },
): Promise<{ membershipToken: string; profiles: MembershipRow[] }> {
  const account = await findAccountByEmail(ctx.tx, input.accountEmail);
  if (account === undefined) {
    await burnPasswordCheck(input.accountPassword);
    throw new AppError('invalid_credentials', 'The membership account or password is not correct.');
  }
  if (!(await verifyPassword(account.passwordHash, input.accountPassword))) {
    throw new AppError('invalid_credentials', 'The membership account or password is not correct.');
  }
  const userId = ctx.actor.userId;
  if (userId === null) throw new AppError('forbidden', 'Enrollment is done by a signed-in global admin.');
  const now = ctx.clock.now();
  const token = newToken();
  await insertSignIn(ctx.tx, { tokenHash: hashToken(token), accountId: account.id, userId, expiresAt: new Date(now.getTime() + membershipSignInLifetimeMs), createdAt: now });
  return { membershipToken: token, profiles: await listAccountMemberships(ctx.tx, account.id) };
}
