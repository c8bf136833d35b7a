import type { DelegatedRole } from '@tierlink/contract';
import { days } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { composeEmail, invitationLink } from './invitation-email.ts';
import { closeInvitation, findInvitationView, insertInvitation, lockPendingDuplicates, type InvitationView } from './invitations.repository.ts';

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
 * pending one for the same invitee, and queues its email when asked to send it.
 */
export async function issueInvitation(ctx: UseCaseContext, input: IssueInput): Promise<IssuedInvitation> {
  const now = ctx.clock.now();
  const me = ctx.actor.organizationId;
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
    id: newId(),
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
