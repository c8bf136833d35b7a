import { days } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { relationshipCreatedEvent, type RelationshipView } from '../customers/index.ts';
import { grantedEvent, type GrantView, type OrganizationRef } from '../delegated-admin/index.ts';
import { partnershipCreatedEvent, type PartnershipView } from '../partnerships/index.ts';
import {
  lockForAcceptance,
  writePartnershipAcceptance,
  writeRelationshipAcceptance,
  type AcceptanceSubject,
  type AcceptanceWrite,
} from './acceptance.repository.ts';
import type { InvitationRow, InvitationView } from './invitations.repository.ts';
import { acceptanceRefusal } from './invitations.policy.ts';
import { assertPending, invalidLink } from './open-invitation.ts';

export interface AcceptedInvitation {
  invitation: InvitationView;
  partnership: PartnershipView | null;
  relationships: RelationshipView[];
  grants: GrantView[];
}

type Outcome = Omit<AcceptedInvitation, 'invitation'> & { invitation: InvitationRow };

/**
 * Accepts an invitation: the token, consent and a matching signed-in admin are all required. The
 * row lock plus the conditional update make concurrent accepts produce exactly one outcome; every
 * relationship, grant, audit event and notice commits with it or not at all.
 *
 * Two statements do the work: one locks and reads the invitation with what the checks and notices
 * need, one writes the acceptance and returns every row the answer shows.
 */
export async function acceptInvitation(ctx: UseCaseContext, id: string, input: { token: string; consent: boolean }): Promise<AcceptedInvitation> {
  if (!input.consent) {
    throw new AppError('consent_required', 'Tick the consent box to accept the invitation.', 'consent');
  }
  const now = ctx.clock.now();
  const subject = await lockForAcceptance(ctx.tx, id, ctx.actor.organizationId);
  if (subject === undefined) throw invalidLink();
  const invitation = assertPending(subject.invitation, input.token, now);
  const refusal = acceptanceRefusal(ctx.actor, invitation);
  if (refusal !== null) throw refusal;
  const userId = ctx.actor.userId;
  if (userId === null) throw new AppError('forbidden', 'Invitations are accepted by a signed-in user.');
  if (subject.accepter === null) throw new Error('the accepting organization does not exist');

  const write: AcceptanceWrite = {
    userId,
    organizationId: ctx.actor.organizationId,
    now,
    grantEndsAt: invitation.delegatedAdminDays === null ? null : new Date(now.getTime() + days(invitation.delegatedAdminDays)),
  };
  const result =
    invitation.kind === 'partnership'
      ? await acceptPartnership(ctx, subject, subject.accepter, write)
      : await acceptRelationship(ctx, subject, subject.accepter, write);
  await notifyInviters(ctx, subject);
  return { ...result, invitation: { invitation: result.invitation, inviter: subject.inviter, provider: subject.provider } };
}

const alreadyUsed = () => new AppError('invitation_not_pending', 'This invitation was already used.');

/** The `invitation.accepted` event: recorded first, as the acceptance's own. */
async function recordAccepted(ctx: UseCaseContext, invitation: InvitationRow): Promise<void> {
  await ctx.audit.record({
    action: 'invitation.accepted',
    target: { type: 'invitation', id: invitation.id },
    organizationIds: [invitation.organizationId, ctx.actor.organizationId, ...(invitation.providerOrganizationId === null ? [] : [invitation.providerOrganizationId])],
    before: { state: 'pending' },
    after: { state: 'accepted' },
  });
}

async function acceptPartnership(ctx: UseCaseContext, subject: AcceptanceSubject, reseller: OrganizationRef, write: AcceptanceWrite): Promise<Outcome> {
  const written = await writePartnershipAcceptance(ctx.tx, subject.invitation, { ...write, partnershipId: newTimeOrderedId(), grantId: newTimeOrderedId() });
  if (written.invitation === null) throw alreadyUsed();
  if (written.partnership === null) throw new AppError('partnership_exists', 'This provider is already your indirect provider.');
  await recordAccepted(ctx, written.invitation);
  await ctx.audit.record(partnershipCreatedEvent(written.partnership));
  if (written.createdGrant !== null) await ctx.audit.record(grantedEvent(written.createdGrant));
  return {
    invitation: written.invitation,
    partnership: { partnership: written.partnership, provider: subject.inviter, reseller },
    relationships: [],
    grants: written.grants.map((grant) => ({ grant, partner: subject.inviter, organization: reseller })),
  };
}

async function acceptRelationship(ctx: UseCaseContext, subject: AcceptanceSubject, customer: OrganizationRef, write: AcceptanceWrite): Promise<Outcome> {
  const partners = [subject.inviter];
  if (subject.provider !== null) {
    if (!subject.jointPartnershipActive) {
      throw new AppError('partnership_not_active', 'The reseller and the provider of this joint invitation no longer work together.');
    }
    partners.push(subject.provider);
  }
  const written = await writeRelationshipAcceptance(
    ctx.tx,
    subject.invitation,
    write,
    partners.map((p) => ({ partnerId: p.id, relationshipId: newTimeOrderedId(), grantId: newTimeOrderedId() })),
  );
  if (written.invitation === null) throw alreadyUsed();
  // A new invitation is also how a partner asks again for admin access the customer revoked or
  // that lapsed; only when nothing at all would change is it refused.
  const created = written.relationships.filter((r) => r.created);
  if (created.length === 0 && written.partnersLackingGrant.length === 0) {
    throw new AppError('relationship_exists', 'Your organization already has this reseller relationship.');
  }
  await recordAccepted(ctx, written.invitation);
  const partnerOrder = (partnerId: string) => partners.findIndex((p) => p.id === partnerId);
  for (const { relationship } of created.sort((a, b) => partnerOrder(a.partnerId) - partnerOrder(b.partnerId))) {
    await ctx.audit.record(relationshipCreatedEvent(relationship));
  }
  for (const grant of written.createdGrants) await ctx.audit.record(grantedEvent(grant));
  const partnerRef = (partnerId: string) => partners.find((p) => p.id === partnerId);
  return {
    invitation: written.invitation,
    partnership: null,
    relationships: written.relationships.flatMap(({ relationship }) => {
      const partner = partnerRef(relationship.partnerOrganizationId);
      return partner === undefined ? [] : [{ relationship, partner, customer }];
    }),
    grants: written.grants.flatMap((grant) => {
      const partner = partnerRef(grant.partnerOrganizationId);
      return partner === undefined ? [] : [{ grant, partner, organization: customer }];
    }),
  };
}

/** "Invitation accepted" notice to whoever sent it (or the inviting organization's admins), and the joint provider. */
async function notifyInviters(ctx: UseCaseContext, subject: AcceptanceSubject): Promise<void> {
  const invitation = subject.invitation;
  const recipients = new Map<string, string>();
  for (const r of [...subject.inviterRecipients, ...subject.providerRecipients]) recipients.set(r.email, r.displayName);
  const accepter = subject.accepter?.name ?? invitation.email;
  const what = invitation.kind === 'partnership' ? 'authorized you as its indirect provider' : 'accepted the reseller relationship';
  for (const [to, name] of recipients) {
    await ctx.outbox.email(
      {
        to,
        subject: `Invitation accepted: ${accepter} ${what}`,
        text: `Hello ${name},\n\n${accepter} (${ctx.actor.displayName}, ${invitation.email}) ${what}. It now appears in your lists on Tierlink.`,
      },
      'invitation.accepted',
    );
  }
}
