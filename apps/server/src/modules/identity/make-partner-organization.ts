import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findUserById, type OrganizationRow } from './identity.queries.ts';
import { setOrganizationKind, updateUserRoles } from './identity.repository.ts';

/**
 * An organization that enrolls in a program becomes a partner, and the user who enrolled it its
 * global admin and admin agent (seed: the enrolling account administers the partner).
 */
export async function makePartnerOrganization(ctx: UseCaseContext, organization: OrganizationRow): Promise<void> {
  if (organization.kind === 'customer') await setOrganizationKind(ctx.tx, organization.id, 'partner');
  const user = ctx.actor.userId === null ? undefined : await findUserById(ctx.tx, ctx.actor.userId);
  if (user !== undefined) await updateUserRoles(ctx.tx, user.id, [...new Set([...user.roles, 'global_admin', 'admin_agent'])]);
}
