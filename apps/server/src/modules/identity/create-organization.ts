import type { SignUpBody } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import type { Executor } from '../../db/database.ts';
import { assertPasswordAllowed } from './identity.policy.ts';
import { findOrganizationByDomain, findUserByEmail, type OrganizationRow, type UserRow } from './identity.queries.ts';
import { countUsers, insertOrganization, insertUser } from './identity.repository.ts';

/** Proves an email address with an invitation token (provided by the invitations module). */
export type InvitationEmailProof = (tx: Executor, invitation: { id: string; token: string }, email: string, now: Date) => Promise<boolean>;

/**
 * Sign-up: a new organization (a customer until it enrolls) and its first global admin. Signing up
 * from an invitation marks the admin's email verified, since only its owner received the token.
 */
export async function createOrganization(
  ctx: AnonymousContext,
  body: SignUpBody,
  proveEmail: InvitationEmailProof,
): Promise<{ organization: OrganizationRow; user: UserRow }> {
  await assertPasswordAllowed(body.admin.password, 'admin.password');
  const now = ctx.clock.now();
  let emailVerifiedAt: Date | null = null;
  if (body.invitation !== undefined) {
    if (!(await proveEmail(ctx.tx, body.invitation, body.admin.email, now))) {
      throw new AppError(
        'invitation_email_mismatch',
        'The invitation is not valid for this email address; sign up with the address the invitation was sent to.',
        'admin.email',
      );
    }
    emailVerifiedAt = now;
  }
  if ((await findUserByEmail(ctx.tx, body.admin.email)) !== undefined) {
    throw new AppError('email_taken', 'A user with this email already exists.', 'admin.email');
  }
  const existing = await findOrganizationByDomain(ctx.tx, body.organization.domain);
  // A customer imported by the operator has no users yet: its first admin claims it by signing up
  // from an invitation (which proves the email); anyone else finds the domain taken.
  const claimable = existing !== undefined && existing.kind === 'customer' && emailVerifiedAt !== null && (await countUsers(ctx.tx, existing.id)) === 0;
  if (existing !== undefined && !claimable) {
    throw new AppError('domain_taken', 'An organization with this domain already exists.', 'organization.domain');
  }
  const organization =
    existing ??
    (await insertOrganization(ctx.tx, {
      id: newId(),
      name: body.organization.name,
      domain: body.organization.domain,
      country: body.organization.country,
      kind: 'customer',
      createdAt: now,
    }));
  const user = await insertUser(ctx.tx, {
    id: newId(),
    organizationId: organization.id,
    email: body.admin.email,
    displayName: body.admin.displayName,
    passwordHash: await hashPassword(body.admin.password),
    roles: ['global_admin'],
    status: 'active',
    mustChangePassword: false,
    emailVerifiedAt,
    createdAt: now,
  });
  const self = { userId: user.id, organizationId: organization.id, displayName: user.displayName };
  await ctx.audit.record({
    action: existing === undefined ? 'organization.created' : 'organization.claimed',
    actor: self,
    target: { type: 'organization', id: organization.id },
    organizationIds: [organization.id],
    after: { name: organization.name, domain: organization.domain, country: organization.country, kind: organization.kind },
  });
  await ctx.audit.record({
    action: 'user.created',
    actor: self,
    target: { type: 'user', id: user.id },
    organizationIds: [organization.id],
    after: { email: user.email, roles: user.roles },
  });
  return { organization, user };
}
