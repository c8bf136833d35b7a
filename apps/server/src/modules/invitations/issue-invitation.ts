import type { DelegatedRole } from '@tierlink/contract';
import { days } from '../../platform/clock.ts';
import { RetryLaterError } from '../../platform/errors.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { composeEmail, invitationLink } from './invitation-email.ts';
import { invitationQuotaWindows, type InvitationQuota } from './invitations.policy.ts';
import {
  closeInvitation,
  findInvitationView,
  insertInvitation,
  lockPendingDuplicates,
  lockSenderQuota,
  nthLatestSentBy,
  type InvitationView,
} from './invitations.repository.ts';

export interface IssueInput {
  kind: 'partnership' | 'reseller_relationship';
  email: string;
  providerOrganizationId: string | null;
  delegatedRoles: readonly DelegatedRole[];
  delegatedAdminDays: number | null;
  expiresInDays: number;
  draft: { subject: string; text: string };
  send: boolean;
}

export interface IssuedInvitation {
  view: InvitationView;
  email: { to: string; subject: string; text: string; link: string };
  sent: boolean;
}

/**
 * Creates an invitation with a fresh 256-bit token (only its hash is stored), superseding any
 * pending one for the same invitee, and queues its email when asked to send it. Refused with 429
 * `invitation_quota_exceeded` beyond the sender's or the recipient's quota.
 */
export async function issueInvitation(ctx: UseCaseContext, input: IssueInput, quota: InvitationQuota): Promise<IssuedInvitation> {
  const now = ctx.clock.now();
  const me = ctx.actor.organizationId;
  await enforceQuota(ctx, input.email, quota);
  const older = await lockPendingDuplicates(ctx.tx, {
    organizationId: me,
    kind: input.kind,
    email: input.email,
    providerOrganizationId: input.providerOrganizationId,
  });
  for (const previous of older) {
    await closeInvitation(ctx.tx, previous.id, 'revoked', now);
    await ctx.audit.record({
      action: 'invitation.revoked',
      target: { type: 'invitation', id: previous.id },
      organizationIds: previous.providerOrganizationId === null ? [me] : [me, previous.providerOrganizationId],
      before: { state: 'pending' },
      after: { state: 'revoked', reason: 'superseded' },
    });
  }
  const token = newToken(32);
  const expiresAt = new Date(now.getTime() + days(input.expiresInDays));
  const invitation = await insertInvitation(ctx.tx, {
    id: newTimeOrderedId(),
    organizationId: me,
    kind: input.kind,
    providerOrganizationId: input.providerOrganizationId,
    email: input.email,
    tokenHash: hashToken(token),
    delegatedRoles: [...input.delegatedRoles],
    delegatedAdminDays: input.delegatedAdminDays,
    state: 'pending',
    invitedByUserId: ctx.actor.userId,
    createdAt: now,
    expiresAt,
  });
  await ctx.audit.record({
    action: 'invitation.created',
    target: { type: 'invitation', id: invitation.id },
    organizationIds: input.providerOrganizationId === null ? [me] : [me, input.providerOrganizationId],
    after: { kind: input.kind, email: input.email, expiresAt: expiresAt.toISOString(), sent: input.send, superseded: older.length },
  });
  const link = invitationLink(ctx.publicUrl, invitation.id, token);
  if (input.send) await ctx.outbox.email(composeEmail(input.email, input.draft, link, expiresAt), `invitation.${input.kind}`);
  const view = await findInvitationView(ctx.tx, invitation.id);
  if (view === undefined) throw new Error('invitation vanished');
  return { view, email: { to: input.email, subject: input.draft.subject, text: input.draft.text, link }, sent: input.send };
}

/**
 * RATE-02: counts the invitations already in the table under a transaction-scoped lock of the
 * sender, so concurrent sends on any number of processes get exactly the quota and no more. The
 * refused call writes nothing: no invitation, no email, no audit event.
 */
export async function enforceQuota(ctx: UseCaseContext, email: string, quota: InvitationQuota): Promise<void> {
  const now = ctx.clock.now().getTime();
  const me = ctx.actor.organizationId;
  await lockSenderQuota(ctx.tx, me);
  const sent = await nthLatestSentBy(ctx.tx, { organizationId: me }, new Date(now - invitationQuotaWindows.organizationMs), quota.perOrganizationPerHour);
  if (sent !== null) {
    throw new RetryLaterError(
      'invitation_quota_exceeded',
      `Your organization sent ${quota.perOrganizationPerHour} invitations within the last hour; try again later.`,
      (sent.getTime() + invitationQuotaWindows.organizationMs - now) / 1000,
    );
  }
  const toRecipient = await nthLatestSentBy(ctx.tx, { organizationId: me, email }, new Date(now - invitationQuotaWindows.recipientMs), quota.perRecipientPerDay);
  if (toRecipient !== null) {
    throw new RetryLaterError(
      'invitation_quota_exceeded',
      `Your organization sent ${quota.perRecipientPerDay} invitations to this address within the last 24 hours; try again later.`,
      (toRecipient.getTime() + invitationQuotaWindows.recipientMs - now) / 1000,
    );
  }
}
