import type { DelegatedRole } from '@tierlink/contract';
import { days } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { createRelationship, findRelationshipViews, type RelationshipView } from '../customers/index.ts';
import { grantDelegatedAdmin, listGrantViews, type GrantView } from '../delegated-admin/index.ts';
import { findOrganization, findUserById, listOrganizationAdmins, markEmailVerified } from '../identity/index.ts';
import { createPartnership, findActivePartnership, findPartnershipView, type PartnershipView } from '../partnerships/index.ts';
import { closeInvitation, findInvitationView, type InvitationRow, type InvitationView } from './invitations.repository.ts';
import { acceptanceRefusal } from './invitations.policy.ts';
import { openPendingInvitation } from './open-invitation.ts';

export interface AcceptedInvitation {
  invitation: InvitationView;
  partnership: PartnershipView | null;
  relationships: RelationshipView[];
  grants: GrantView[];
}

/**
 * Accepts an invitation: the token, consent and a matching signed-in admin are all required. The
 * row lock plus the conditional update make concurrent accepts produce exactly one outcome; every
 * relationship, grant, audit event and notice commits with it or not at all.
 */
export async function acceptInvitation(ctx: UseCaseContext, id: string, input: { token: string; consent: boolean }): Promise<AcceptedInvitation> {
  if (!input.consent) {
    throw new AppError('consent_required', 'Tick the consent box to accept the invitation.', 'consent');
  }
  const now = ctx.clock.now();
  const invitation = await openPendingInvitation(ctx.tx, id, input.token, now);
  const refusal = acceptanceRefusal(ctx.actor, invitation);
  if (refusal !== null) throw refusal;
  const userId = ctx.actor.userId;
  if (userId === null) throw new AppError('forbidden', 'Invitations are accepted by a signed-in user.');

  const closed = await closeInvitation(ctx.tx, invitation.id, 'accepted', now, { userId, organizationId: ctx.actor.organizationId });
  if (closed === undefined) throw new AppError('invitation_not_pending', 'This invitation was already used.');
  // The token reached this user's mailbox: that proves the address.
  await markEmailVerified(ctx.tx, userId, now);
  await ctx.audit.record({
    action: 'invitation.accepted',
    target: { type: 'invitation', id: invitation.id },
    organizationIds: [invitation.organizationId, ctx.actor.organizationId, ...(invitation.providerOrganizationId === null ? [] : [invitation.providerOrganizationId])],
    before: { state: 'pending' },
    after: { state: 'accepted' },
  });

  const result = invitation.kind === 'partnership' ? await acceptPartnership(ctx, invitation) : await acceptRelationship(ctx, invitation);
  await notifyInviters(ctx, invitation);
  const view = await findInvitationView(ctx.tx, invitation.id);
  if (view === undefined) throw notFound('invitation');
  return { invitation: view, ...result };
}

async function acceptPartnership(ctx: UseCaseContext, invitation: InvitationRow): Promise<Omit<AcceptedInvitation, 'invitation'>> {
  const reseller = ctx.actor.organizationId;
  const partnership = await createPartnership(ctx, {
    providerOrganizationId: invitation.organizationId,
    resellerOrganizationId: reseller,
    invitationId: invitation.id,
  });
  const grants = await ensureGrants(ctx, invitation, [invitation.organizationId], { type: 'partnership', id: partnership.id });
  return { partnership: (await findPartnershipView(ctx.tx, partnership.id)) ?? null, relationships: [], grants };
}

async function acceptRelationship(ctx: UseCaseContext, invitation: InvitationRow): Promise<Omit<AcceptedInvitation, 'invitation'>> {
  const customer = ctx.actor.organizationId;
  const partners = [invitation.organizationId];
  if (invitation.providerOrganizationId !== null) {
    if ((await findActivePartnership(ctx.tx, invitation.providerOrganizationId, invitation.organizationId)) === undefined) {
      throw new AppError('partnership_not_active', 'The reseller and the provider of this joint invitation no longer work together.');
    }
    partners.push(invitation.providerOrganizationId);
  }
  const relationshipIds: string[] = [];
  let createdAny = false;
  for (const partnerId of partners) {
    const { relationship, created } = await createRelationship(ctx, {
      partnerId,
      customerId: customer,
      source: 'invitation',
      invitationId: invitation.id,
    });
    relationshipIds.push(relationship.id);
    createdAny ||= created;
  }
  // A new invitation is also how a partner asks again for admin access the customer revoked or
  // that lapsed; only when nothing at all would change is it refused.
  const now = ctx.clock.now();
  const lacksGrant = await Promise.all(
    partners.map(async (partnerOrganizationId) => (await listGrantViews(ctx.tx, { partnerOrganizationId, organizationId: customer, liveAt: now })).length === 0),
  );
  if (!createdAny && !lacksGrant.some(Boolean)) {
    throw new AppError('relationship_exists', 'Your organization already has this reseller relationship.');
  }
  const grants: GrantView[] = [];
  for (const [index, partnerId] of partners.entries()) {
    const origin = { type: 'reseller_relationship' as const, id: relationshipIds[index] ?? invitation.id };
    grants.push(...(await ensureGrants(ctx, invitation, [partnerId], origin)));
  }
  return { partnership: null, relationships: await findRelationshipViews(ctx.tx, relationshipIds), grants };
}

/** Grants each partner delegated admin in the accepting organization unless it already holds a live grant. */
async function ensureGrants(
  ctx: UseCaseContext,
  invitation: InvitationRow,
  partnerIds: string[],
  origin: { type: 'partnership' | 'reseller_relationship'; id: string },
): Promise<GrantView[]> {
  const now = ctx.clock.now();
  const organizationId = ctx.actor.organizationId;
  const ids: string[] = [];
  for (const partnerOrganizationId of partnerIds) {
    const live = await listGrantViews(ctx.tx, { partnerOrganizationId, organizationId, liveAt: now });
    if (live.length > 0) {
      ids.push(...live.map((g) => g.grant.id));
      continue;
    }
    const grant = await grantDelegatedAdmin(ctx, {
      partnerOrganizationId,
      organizationId,
      roles: invitation.delegatedRoles as DelegatedRole[],
      endsAt: invitation.delegatedAdminDays === null ? null : new Date(now.getTime() + days(invitation.delegatedAdminDays)),
      origin,
    });
    ids.push(grant.id);
  }
  return listGrantViews(ctx.tx, { ids });
}

/** "Invitation accepted" notice to whoever sent it (or the inviting organization's admins), and the joint provider. */
async function notifyInviters(ctx: UseCaseContext, invitation: InvitationRow): Promise<void> {
  const inviter = invitation.invitedByUserId === null ? undefined : await findUserById(ctx.tx, invitation.invitedByUserId);
  const recipients = new Map<string, string>();
  if (inviter !== undefined && inviter.status === 'active') recipients.set(inviter.email, inviter.displayName);
  else for (const admin of await listOrganizationAdmins(ctx.tx, invitation.organizationId)) recipients.set(admin.email, admin.displayName);
  if (invitation.providerOrganizationId !== null) {
    for (const admin of await listOrganizationAdmins(ctx.tx, invitation.providerOrganizationId)) recipients.set(admin.email, admin.displayName);
  }
  const accepter = (await findOrganization(ctx.tx, ctx.actor.organizationId))?.name ?? invitation.email;
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
  await ctx.outbox.event('invitation.accepted', { invitationId: invitation.id, kind: invitation.kind, acceptedBy: ctx.actor.organizationId });
}
