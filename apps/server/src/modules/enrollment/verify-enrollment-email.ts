import { AppError } from '../../platform/errors.ts';
import { tokenMatches } from '../../platform/tokens.ts';
import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { findOrganization } from '../identity/index.ts';
import { statusEmail } from './enroll.ts';
import { lockProfile, updateProfileRow, type ProfileRow } from './enrollment.repository.ts';

/** The primary contact follows the emailed link; the enrollment moves to review. Single use. */
export async function verifyEnrollmentEmail(ctx: AnonymousContext, id: string, token: string): Promise<ProfileRow> {
  const profile = await lockProfile(ctx.tx, id);
  if (profile === undefined) throw new AppError('not_found', 'This verification link is not valid.');
  if (profile.state !== 'email_unverified' || profile.verificationTokenHash === null) {
    throw new AppError('enrollment_not_pending', 'This email address was verified already.');
  }
  if (!tokenMatches(token, profile.verificationTokenHash)) throw new AppError('not_found', 'This verification link is not valid.');
  const now = ctx.clock.now();
  if (profile.verificationExpiresAt !== null && profile.verificationExpiresAt.getTime() <= now.getTime()) {
    throw new AppError('verification_expired', 'This verification link has expired; submit the enrollment again.');
  }
  const updated = await updateProfileRow(ctx.tx, id, { state: 'in_review', verificationTokenHash: null, verifiedAt: now, updatedAt: now });
  await ctx.audit.record({
    action: 'enrollment.email_verified',
    actor: { userId: null, organizationId: profile.organizationId, displayName: profile.primaryContact?.email ?? 'primary contact' },
    target: { type: 'partner_profile', id },
    organizationIds: [profile.organizationId],
    before: { state: 'email_unverified' },
    after: { state: 'in_review' },
  });
  const organization = await findOrganization(ctx.tx, profile.organizationId);
  if (profile.primaryContact !== null && organization !== undefined) {
    await ctx.outbox.email(statusEmail(profile.primaryContact, organization.name, profile.program, 'in_review', null), 'enrollment.status');
  }
  return updated;
}
