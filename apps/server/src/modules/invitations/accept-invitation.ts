import { days } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import { emailRow, type OutboxRow } from '../../platform/outbox.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { RelationshipView } from '../customers/index.ts';
import type { GrantView, OrganizationRef } from '../delegated-admin/index.ts';
import type { PartnershipView } from '../partnerships/index.ts';
import {
  partnershipAcceptanceRecords,
  readAcceptance,
  relationshipAcceptanceRecords,
  writePartnershipAcceptance,
  writeRelationshipAcceptance,
  type AcceptanceSubject,
  type AcceptanceWrite,
  type Unchanged,
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
 * Accepts an invitation: the token, consent and a matching signed-in admin are all required. One
 * read gathers what the checks and the notices need; one statement then writes the acceptance, its
 * relationships or partnership, grants, audit records, events and notices, in autocommit (the route
 * runs it with `runOneStatement`): it is the transaction. The statement re-checks in SQL what a
 * concurrent change can alter since the read (still pending with this token, something to create,
 * the joint partnership), and the invitation's row lock makes concurrent accepts and revokes
 * produce exactly one outcome.
 */
export async function acceptInvitation(ctx: UseCaseContext, id: string, input: { token: string; consent: boolean }): Promise<AcceptedInvitation> {
  if (!input.consent) {
    throw new AppError('consent_required', 'Tick the consent box to accept the invitation.', 'consent');
  }
  const now = ctx.clock.now();
  const subject = await readAcceptance(ctx.tx, id, ctx.actor.organizationId);
  if (subject === undefined) throw invalidLink();
  const invitation = assertPending(subject.invitation, input.token, now);
  const refusal = acceptanceRefusal(ctx.actor, invitation);
  if (refusal !== null) throw refusal;
  const userId = ctx.actor.userId;
  if (userId === null) throw new AppError('forbidden', 'Invitations are accepted by a signed-in user.');
  if (subject.accepter === null) throw new Error('the accepting organization does not exist');
  if (subject.provider !== null && !subject.jointPartnershipActive) throw partnershipNotActive();

  const write = (records: number): AcceptanceWrite => ({
    userId,
    organizationId: ctx.actor.organizationId,
    now,
    grantEndsAt: invitation.delegatedAdminDays === null ? null : new Date(now.getTime() + days(invitation.delegatedAdminDays)),
    stamp: ctx.audit.stamp(records),
    emails: notices(ctx, subject),
  });
  const result =
    invitation.kind === 'partnership'
      ? await acceptPartnership(ctx, subject, subject.accepter, write(partnershipAcceptanceRecords), input.token)
      : await acceptRelationship(ctx, subject, subject.accepter, write, input.token);
  return { ...result, invitation: { invitation: result.invitation, inviter: subject.inviter, provider: subject.provider } };
}

const partnershipNotActive = () =>
  new AppError('partnership_not_active', 'The reseller and the provider of this joint invitation no longer work together.');

/**
 * The statement changed nothing: why, from its own snapshot. The invitation's own state first (as
 * the read checked it), then the kind's refusal; otherwise a concurrent accept or revoke committed
 * after the snapshot and the row lock's re-check saw it.
 */
function refusedWrite(written: Unchanged, token: string, now: Date): AppError {
  assertPending(written.unchanged, token, now);
  switch (written.refusal) {
    case 'partnership_exists':
      return new AppError('partnership_exists', 'This provider is already your indirect provider.');
    case 'relationship_exists':
      return new AppError('relationship_exists', 'Your organization already has this reseller relationship.');
    case 'partnership_not_active':
      return partnershipNotActive();
    case null:
      return new AppError('invitation_not_pending', 'This invitation was already used.');
  }
}

async function acceptPartnership(ctx: UseCaseContext, subject: AcceptanceSubject, reseller: OrganizationRef, write: AcceptanceWrite, token: string): Promise<Outcome> {
  const written = await writePartnershipAcceptance(ctx.tx, subject.invitation, { ...write, partnershipId: newTimeOrderedId(), grantId: newTimeOrderedId() });
  if (written.invitation === null || written.partnership === null) throw refusedWrite(written, token, write.now);
  return {
    invitation: written.invitation,
    partnership: { partnership: written.partnership, provider: subject.inviter, reseller },
    relationships: [],
    grants: written.grants.map((grant) => ({ grant, partner: subject.inviter, organization: reseller })),
  };
}

async function acceptRelationship(
  ctx: UseCaseContext,
  subject: AcceptanceSubject,
  customer: OrganizationRef,
  write: (records: number) => AcceptanceWrite,
  token: string,
): Promise<Outcome> {
  const partners = subject.provider === null ? [subject.inviter] : [subject.inviter, subject.provider];
  const w = write(relationshipAcceptanceRecords(partners.length));
  const written = await writeRelationshipAcceptance(
    ctx.tx,
    subject.invitation,
    w,
    partners.map((p) => ({ partnerId: p.id, relationshipId: newTimeOrderedId(), grantId: newTimeOrderedId() })),
  );
  if (written.invitation === null) throw refusedWrite(written, token, w.now);
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

/** "Invitation accepted" notices to whoever sent it (or the inviting organization's admins), and the joint provider, sealed for the statement. */
function notices(ctx: UseCaseContext, subject: AcceptanceSubject): OutboxRow[] {
  const invitation = subject.invitation;
  const recipients = new Map<string, string>();
  for (const r of [...subject.inviterRecipients, ...subject.providerRecipients]) recipients.set(r.email, r.displayName);
  const accepter = subject.accepter?.name ?? invitation.email;
  const what = invitation.kind === 'partnership' ? 'authorized you as its indirect provider' : 'accepted the reseller relationship';
  return [...recipients].map(([to, name]) =>
    emailRow(
      {
        to,
        subject: `Invitation accepted: ${accepter} ${what}`,
        text: `Hello ${name},\n\n${accepter} (${ctx.actor.displayName}, ${invitation.email}) ${what}. It now appears in your lists on Tierlink.`,
      },
      'invitation.accepted',
      ctx.clock,
      ctx.sealer,
    ),
  );
}
