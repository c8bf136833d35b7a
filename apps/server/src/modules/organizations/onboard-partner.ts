import type { Program } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import {
  findOrganizationByDomain,
  findUserByEmail,
  insertOrganization,
  insertUser,
  type OrganizationRow,
  type UserRow,
} from '../identity/index.ts';
import { insertProfile, type ProfileRow } from './organizations.repository.ts';
import { assertPasswordAllowed } from '../identity/index.ts';

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
  if ((await findOrganizationByDomain(ctx.tx, input.organization.domain)) !== undefined) {
    throw new AppError('domain_taken', 'An organization with this domain already exists.', 'organization.domain');
  }
  if ((await findUserByEmail(ctx.tx, input.admin.email)) !== undefined) {
    throw new AppError('email_taken', 'A user with this email already exists.', 'admin.email');
  }
  const organization = await insertOrganization(ctx.tx, { id: newId(), ...input.organization, kind: 'partner', createdAt: now });
  const profile = await insertProfile(ctx.tx, {
    id: newId(),
    organizationId: organization.id,
    program: input.program,
    state: 'approved',
    membershipId: null,
    createdAt: now,
    updatedAt: now,
  });
  const user = await insertUser(ctx.tx, {
    id: newId(),
    organizationId: organization.id,
    email: input.admin.email,
    displayName: input.admin.displayName,
    passwordHash: await hashPassword(input.admin.password),
    roles: ['global_admin', 'admin_agent'],
    status: 'active',
    mustChangePassword: false,
    emailVerifiedAt: now,
    createdAt: now,
  });
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
