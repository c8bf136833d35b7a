import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findOrganization } from '../identity/index.ts';
import { statusEmail } from './enroll.ts';
import { lockProfile, updateProfileRow, type EnrollmentView } from './enrollment.repository.ts';
import { getEnrollment } from './get-enrollment.ts';

/** Operator staff approve or reject an enrollment in review; the primary contact is told either way. */
export async function decideEnrollment(ctx: UseCaseContext, id: string, decision: { approve: true } | { approve: false; reason: string }): Promise<EnrollmentView> {
  const profile = await lockProfile(ctx.tx, id);
  if (profile === undefined) throw notFound('enrollment');
  if (profile.state !== 'in_review') throw new AppError('enrollment_not_pending', `The enrollment is ${profile.state.replace('_', ' ')}, not in review.`);
  const now = ctx.clock.now();
  const state = decision.approve ? ('approved' as const) : ('rejected' as const);
  const reason = decision.approve ? null : decision.reason;
  const updated = await updateProfileRow(ctx.tx, id, { state, decidedAt: now, decisionReason: reason, updatedAt: now });
  await ctx.audit.record({
    action: decision.approve ? 'enrollment.approved' : 'enrollment.rejected',
    target: { type: 'partner_profile', id },
    organizationIds: [ctx.actor.organizationId, profile.organizationId],
    before: { state: 'in_review' },
    after: { state, reason },
  });
  const organization = await findOrganization(ctx.tx, profile.organizationId);
  if (profile.primaryContact !== null && organization !== undefined) {
    await ctx.outbox.email(statusEmail(profile.primaryContact, organization.name, profile.program, state, reason), 'enrollment.status');
  }
  return getEnrollment(ctx, updated.id);
}
