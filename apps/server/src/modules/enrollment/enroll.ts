import type { EnrollBody } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { isServedCustomer } from '../customers/index.ts';
import { findOrganization, makePartnerOrganization } from '../identity/index.ts';
import { isWebmail, verificationLifetimeMs } from './enrollment.policy.ts';
import { findMembershipHolder, findSignIn, lockMembership, insertProfileRow, lockOrganizationProfiles, updateProfileRow, type EnrollmentView } from './enrollment.repository.ts';
import { getEnrollment } from './get-enrollment.ts';

/**
 * "Enroll now": links a membership whose country equals the organization's, records the legal
 * profile and contacts, and emails the primary contact a verification link. The organization becomes
 * a partner (not yet verified); the enrolling user becomes global admin and admin agent.
 */
export async function enroll(ctx: UseCaseContext, input: EnrollBody): Promise<EnrollmentView> {
  const now = ctx.clock.now();
  const me = ctx.actor.organizationId;
  const signIn = await findSignIn(ctx.tx, hashToken(input.membershipToken));
  if (signIn === undefined || signIn.userId !== ctx.actor.userId || signIn.expiresAt.getTime() <= now.getTime()) {
    throw new AppError('validation_failed', 'Sign in to the membership registry again.', 'membershipToken');
  }
  const membership = await lockMembership(ctx.tx, input.membershipId);
  if (membership === undefined || membership.accountId !== signIn.accountId) {
    throw new AppError('validation_failed', 'This membership is not one of the signed-in account\'s profiles.', 'membershipId');
  }
  const organization = await findOrganization(ctx.tx, me);
  if (organization === undefined) throw new AppError('not_found', 'The organization does not exist.');
  if (membership.country !== organization.country) {
    throw new AppError('country_mismatch', `Choose a membership in ${organization.country}, the country of your organization.`, 'membershipId');
  }
  // One membership belongs to one partner organization (its programs may share it).
  if ((await findMembershipHolder(ctx.tx, membership.membershipId, me)) !== undefined) {
    throw new AppError('conflict', 'Another organization is enrolled with this membership.', 'membershipId');
  }
  if (organization.kind === 'customer' && (await isServedCustomer(ctx.tx, me))) {
    // One organization is either served by partners or is one: a customer's tenant keeps its partners' grants.
    throw new AppError('conflict', 'Partners serve this organization as their customer; sign up a separate organization to enroll.');
  }
  if (isWebmail(input.primaryContact.email)) {
    throw new AppError('webmail_not_allowed', 'Use an address of your organization, not a web-based email service.', 'primaryContact.email');
  }
  const profiles = await lockOrganizationProfiles(ctx.tx, me);
  const existing = profiles.find((p) => p.program === input.program);
  if (existing !== undefined && existing.state !== 'rejected') {
    throw new AppError('already_enrolled', `The organization is already enrolled (${existing.state}).`, 'program');
  }
  // Enrolled in the other program with this very contact verified: only what is missing is asked.
  const verifiedContact = profiles.some((p) => p.state === 'approved' && p.primaryContact?.email === input.primaryContact.email);
  const token = newToken();
  const fields = {
    state: verifiedContact ? ('in_review' as const) : ('email_unverified' as const),
    membershipId: membership.membershipId,
    legalProfile: input.legalProfile,
    primaryContact: input.primaryContact,
    supportProfile: input.supportProfile,
    enrolledByUserId: ctx.actor.userId,
    verificationTokenHash: verifiedContact ? null : hashToken(token),
    verificationExpiresAt: verifiedContact ? null : new Date(now.getTime() + verificationLifetimeMs),
    verifiedAt: verifiedContact ? now : null,
    decidedAt: null,
    decisionReason: null,
    updatedAt: now,
  };
  const profile =
    existing === undefined
      ? await insertProfileRow(ctx.tx, { id: newId(), organizationId: me, program: input.program, createdAt: now, ...fields })
      : await updateProfileRow(ctx.tx, existing.id, fields);
  await makePartnerOrganization(ctx, organization);
  await ctx.audit.record({
    action: 'enrollment.submitted',
    target: { type: 'partner_profile', id: profile.id },
    organizationIds: [me],
    after: { program: profile.program, membershipId: profile.membershipId, state: profile.state },
  });
  const contact = input.primaryContact;
  if (verifiedContact) {
    await ctx.outbox.email(statusEmail(contact, organization.name, profile.program, 'in_review', null), 'enrollment.status');
  } else {
    await ctx.outbox.email(
      {
        to: contact.email,
        subject: `Verify your email to continue ${organization.name}'s enrollment`,
        text:
          `Hello ${contact.name},\n\n${organization.name} named you the primary contact of its enrollment as ${programName(profile.program)}. ` +
          `Confirm that you signed up and that this address belongs to your organization:\n\n` +
          `${ctx.publicUrl}/verify-email/${profile.id}?token=${encodeURIComponent(token)}\n\nThe link works once, for 7 days.`,
      },
      'enrollment.verification',
    );
  }
  return getEnrollment(ctx, profile.id);
}

export function programName(program: string): string {
  return program === 'indirect_provider' ? 'indirect provider' : 'indirect reseller';
}

/** Every state change is emailed to the primary contact. */
export function statusEmail(contact: { name: string; email: string }, organizationName: string, program: string, state: string, reason: string | null) {
  const what: Record<string, string> = {
    in_review: 'is now in review. We will email you when it has been decided',
    approved: 'is approved. Your partner center is ready to use',
    rejected: `was rejected${reason === null ? '' : `: ${reason}`}`,
  };
  return {
    to: contact.email,
    subject: `${organizationName}: enrollment ${state.replace('_', ' ')}`,
    text: `Hello ${contact.name},\n\n${organizationName}'s enrollment as ${programName(program)} ${what[state] ?? state}.`,
  };
}
