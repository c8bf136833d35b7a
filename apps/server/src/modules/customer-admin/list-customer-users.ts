import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { subscriptionSkuNames } from '../commerce/index.ts';
import { listOrganizationUsers, type UserRow } from '../identity/index.ts';
import { authorizeDelegatedAdmin } from './authorize-delegated-admin.ts';
import { assignmentsOf } from './customer-admin.repository.ts';

export interface CustomerUserView {
  user: UserRow;
  licenses: { subscriptionId: string; skuName: string }[];
}

export async function listCustomerUsers(ctx: UseCaseContext, customerId: string): Promise<CustomerUserView[]> {
  await authorizeDelegatedAdmin(ctx, customerId, 'user_admin');
  const users = await listOrganizationUsers(ctx.tx, customerId, 500);
  const assignments = await assignmentsOf(ctx.tx, users.map((u) => u.id));
  const skuNames = await subscriptionSkuNames(ctx.tx, [...new Set(assignments.map((a) => a.subscriptionId))]);
  const licenses = assignments
    .map((a) => ({ userId: a.userId, subscriptionId: a.subscriptionId, skuName: skuNames.get(a.subscriptionId) ?? '' }))
    .sort((a, b) => a.skuName.localeCompare(b.skuName));
  return users.map((user) => ({
    user,
    licenses: licenses.filter((l) => l.userId === user.id).map(({ subscriptionId, skuName }) => ({ subscriptionId, skuName })),
  }));
}
