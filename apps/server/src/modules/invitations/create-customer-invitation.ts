import { defaultDelegatedRoles, type DelegatedRole } from '@tierlink/contract';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findOrganization } from '../identity/index.ts';
import { findActivePartnership } from '../partnerships/index.ts';
import { customerInvitationDraft } from './invitation-email.ts';
import { defaultInvitationQuota, type InvitationQuota } from './invitations.policy.ts';
import { issueInvitation, type IssuedInvitation } from './issue-invitation.ts';

export interface CustomerInvitationInput {
  email: string;
  indirectProviderId?: string | undefined;
  expiresInDays: number;
  delegatedRoles?: DelegatedRole[] | undefined;
  delegatedAdminDays?: number | undefined;
  send: boolean;
  text?: string | undefined;
}

/**
 * "Request a reseller relationship": the draft email with its personal link, sent by Tierlink when
 * asked. With `indirectProviderId` it is a joint invitation: the customer accepts the reseller and
 * that provider in one step, which needs an active partnership between them.
 */
export async function createCustomerInvitation(
  ctx: UseCaseContext,
  input: CustomerInvitationInput,
  quota: InvitationQuota = defaultInvitationQuota,
): Promise<IssuedInvitation> {
  const partner = await findOrganization(ctx.tx, ctx.actor.organizationId);
  if (partner === undefined) throw notFound('organization');
  let providerName: string | null = null;
  if (input.indirectProviderId !== undefined) {
    if (!ctx.actor.approvedPrograms.includes('indirect_reseller')) {
      throw new AppError('forbidden', 'Only an indirect reseller invites jointly with a provider.', 'indirectProviderId');
    }
    const partnership = await findActivePartnership(ctx.tx, input.indirectProviderId, partner.id);
    const provider = partnership === undefined ? undefined : await findOrganization(ctx.tx, input.indirectProviderId);
    if (provider === undefined) throw notFound('indirect provider');
    providerName = provider.name;
  }
  const roles = [...new Set(input.delegatedRoles ?? defaultDelegatedRoles)];
  const days = input.delegatedAdminDays ?? null;
  const draft = customerInvitationDraft({ resellerName: partner.name, providerName, roles, days });
  return issueInvitation(ctx, {
    kind: 'reseller_relationship',
    email: input.email,
    providerOrganizationId: input.indirectProviderId ?? null,
    delegatedRoles: roles,
    delegatedAdminDays: days,
    expiresInDays: input.expiresInDays,
    draft: input.text === undefined || input.text === '' ? draft : { subject: draft.subject, text: input.text },
    send: input.send,
  }, quota);
}
