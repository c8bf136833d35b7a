import type { Program } from '@tierlink/contract';
import { newId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { assertPasswordAllowed, provisionOrganization, provisionUser, type OrganizationRow, type UserRow } from '../identity/index.ts';
import { insertProfile, type ProfileRow } from './organizations.repository.ts';

export interface OnboardPartnerInput {
  organization: { name: string; domain: string; country: string };
  program: Program;
  admin: { displayName: string; email: string; password: string };
}

/**
 * The operator creates an approved partner directly (no enrollment): the organization, its approved
 * partner profile and its first admin, who is global admin and admin agent.
 */
export async function onboardPartner(
  ctx: UseCaseContext,
  input: OnboardPartnerInput,
): Promise<{ organization: OrganizationRow; user: UserRow; profile: ProfileRow }> {
  await assertPasswordAllowed(input.admin.password, 'admin.password');
  const now = ctx.clock.now();
  const organization = await provisionOrganization(ctx, { ...input.organization, kind: 'partner' }, 'organization.domain');
  const profile = await insertProfile(ctx.tx, {
    id: newId(),
    organizationId: organization.id,
    program: input.program,
    state: 'approved',
    membershipId: null,
    createdAt: now,
    updatedAt: now,
  });
  const { user } = await provisionUser(
    ctx,
    { organizationId: organization.id, email: input.admin.email, displayName: input.admin.displayName, roles: ['global_admin', 'admin_agent'], password: input.admin.password },
    'admin.email',
  );
  await ctx.audit.record({
    action: 'partner.onboarded',
    target: { type: 'organization', id: organization.id },
    organizationIds: [ctx.actor.organizationId, organization.id],
    after: { name: organization.name, domain: organization.domain, country: organization.country, program: input.program },
  });
  await ctx.audit.record({
    action: 'user.created',
    target: { type: 'user', id: user.id },
    organizationIds: [organization.id],
    after: { email: user.email, roles: user.roles },
  });
  return { organization, user, profile };
}
