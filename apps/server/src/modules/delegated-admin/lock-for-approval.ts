import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { notifyParties, recordTransition } from './relationship-notices.ts';
import { updateRelationship } from './relationships.repository.ts';
import { lockForTransition } from './transition-guard.ts';

/**
 * The partner sends its draft: created → approval_pending. The customer's admins get the approval
 * link, or, three-party, the reseller is asked to consent first (the customer sees it after).
 */
export async function lockForApproval(ctx: UseCaseContext, id: string): Promise<GrantRow> {
  const { row } = await lockForTransition(ctx, id, 'lock_for_approval', ['created']);
  const now = ctx.clock.now();
  const updated = await updateRelationship(ctx.tx, row.id, { state: 'approval_pending', approvalRequestedAt: now, updatedAt: now });
  await recordTransition(ctx, 'delegated_admin.approval_requested', updated, { state: 'created' }, { state: 'approval_pending' });
  if (updated.resellerOrganizationId === null) {
    await notifyParties(ctx, updated, {
      subject: 'A partner asks for delegated admin access',
      text: 'A partner asks for admin access to your organization with the roles and for the time below. Nothing changes until you approve; the request lapses after 90 days.',
      to: ['customer'],
      withApprovalLink: true,
    });
    await notifyParties(ctx, updated, { subject: 'Delegated admin request sent', text: 'Your request was sent to the customer for approval.', to: ['partner'] });
  } else {
    await notifyParties(ctx, updated, {
      subject: 'A provider asks to reach one of your customers',
      text: 'Your provider asks for delegated admin access to a customer you serve. The customer is asked only once you consent.',
      to: ['reseller'],
    });
    await notifyParties(ctx, updated, { subject: 'Delegated admin request sent', text: 'Your request waits for the reseller\'s consent, then for the customer\'s approval.', to: ['partner'] });
  }
  return updated;
}
