import { defaultDelegatedRoles } from '@tierlink/contract';
import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findOrganization } from '../identity/index.ts';
import { resellerInvitationDraft } from './invitation-email.ts';
import { defaultInvitationQuota, type InvitationQuota } from './invitations.policy.ts';
import { issueInvitation, type IssuedInvitation } from './issue-invitation.ts';

/** A provider invites a reseller to authorize it as indirect provider; the email is always sent. */
export async function createResellerInvitation(
  ctx: UseCaseContext,
  input: { email: string; expiresInDays: number; message?: string | undefined },
  quota: InvitationQuota = defaultInvitationQuota,
): Promise<IssuedInvitation> {
  const provider = await findOrganization(ctx.tx, ctx.actor.organizationId);
  if (provider === undefined) throw notFound('organization');
  return issueInvitation(ctx, {
    kind: 'partnership',
    email: input.email,
    providerOrganizationId: null,
    delegatedRoles: defaultDelegatedRoles,
    delegatedAdminDays: null,
    expiresInDays: input.expiresInDays,
    draft: resellerInvitationDraft({ providerName: provider.name, message: input.message }),
    send: true,
  }, quota);
}
