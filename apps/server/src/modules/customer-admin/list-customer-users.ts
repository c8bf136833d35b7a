import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listOrganizationUsers, type UserRow } from '../identity/index.ts';
import { authorizeDelegatedAdmin } from './authorize-delegated-admin.ts';
import { licensesOf } from './customer-admin.repository.ts';

export interface CustomerUserView {
  user: UserRow;
  licenses: { subscriptionId: string; skuName: string }[];
}

export async function listCustomerUsers(ctx: UseCaseContext, customerId: string): Promise<CustomerUserView[]> {
  await authorizeDelegatedAdmin(ctx, customerId, 'user_admin');
  const users = await listOrganizationUsers(ctx.tx, customerId, 500);
  const licenses = await licensesOf(ctx.tx, users.map((u) => u.id));
  return users.map((user) => ({ user, licenses: licenses.filter((l) => l.userId === user.id) }));
}
