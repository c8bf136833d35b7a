import { AppError } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { notifyParties, recordTransition } from './relationship-notices.ts';
import { updateRelationship } from './relationships.repository.ts';
import { lockForTransition } from './transition-guard.ts';

/** Three-party: the named reseller consents; from now on the customer sees the request and is asked to approve it. */
export async function consentToRelationship(ctx: UseCaseContext, id: string): Promise<GrantRow> {
  const { row } = await lockForTransition(ctx, id, 'consent', ['approval_pending']);
  if (row.resellerConsentedAt !== null) throw new AppError('relationship_transition_invalid', 'The reseller has consented already.');
  const now = ctx.clock.now();
  const updated = await updateRelationship(ctx.tx, row.id, { resellerConsentedAt: now, updatedAt: now });
  await recordTransition(ctx, 'delegated_admin.consented', updated, { resellerConsentedAt: null }, { resellerConsentedAt: now.toISOString() });
  await notifyParties(ctx, updated, {
    subject: 'A partner asks for delegated admin access',
    text: 'A partner asks for admin access to your organization with the roles and for the time below; your reseller has consented. Nothing changes until you approve.',
    to: ['customer'],
    withApprovalLink: true,
  });
  await notifyParties(ctx, updated, { subject: 'The reseller consented', text: 'The reseller consented; the customer is asked to approve.', to: ['partner'] });
  return updated;
}
