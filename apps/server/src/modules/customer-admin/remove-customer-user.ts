import { directoryRoles } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { deleteUser } from '../identity/index.ts';
import { authorizeDelegatedAdmin } from './authorize-delegated-admin.ts';

/**
 * A holder of any directory admin role (global, user or billing admin) is never removed through
 * this path: Entra's User Administrator deletes only users without admin roles.
 */
const protectedRoles: readonly string[] = directoryRoles;

/**
 * Removes a user of the customer's organization who holds no directory admin role; sessions and
 * API keys end and seats go with the user (identity's removal). Admins are removed only by the
 * organization's own global admins in its user management.
 */
export async function removeCustomerUser(ctx: UseCaseContext, customerId: string, userId: string): Promise<void> {
  const { onBehalfOf } = await authorizeDelegatedAdmin(ctx, customerId, 'user_admin');
  await deleteUser(ctx, userId, {
    organizationId: customerId,
    refuse: (user) =>
      user.roles.some((role) => protectedRoles.includes(role))
        ? new AppError('customer_admin_protected', 'Users holding an admin role are removed only by the organization\'s global admins.')
        : undefined,
    auditOrganizationIds: [...new Set([customerId, ctx.actor.organizationId])],
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
  });
}
