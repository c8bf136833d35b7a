import { permissionsOf, type Me } from '@tierlink/contract';
import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findOrganization, findUserById, listProfiles } from './identity.queries.ts';
import { presentOrganization, presentUser } from './identity.presenter.ts';
import { needsMfaEnrollment } from './identity.policy.ts';

export async function getMe(ctx: UseCaseContext): Promise<Me> {
  const { actor } = ctx;
  const organization = await findOrganization(ctx.tx, actor.organizationId);
  if (organization === undefined) throw notFound('organization');
  const user = actor.userId === null ? undefined : await findUserById(ctx.tx, actor.userId);
  return {
    user: user === undefined ? null : presentUser(user),
    apiKey: actor.apiKeyId === null ? null : { id: actor.apiKeyId, name: actor.displayName },
    organization: presentOrganization(organization, await listProfiles(ctx.tx, organization.id)),
    permissions: permissionsOf({
      roles: actor.roles,
      organizationKind: actor.organizationKind,
      approvedPrograms: actor.approvedPrograms,
    }),
    mfaEnrollmentRequired: needsMfaEnrollment(actor),
  };
}
