import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listGrantViews, type GrantView, type LiveGrant } from '../delegated-admin/index.ts';
import { findCustomerView, type RelationshipView } from './customers.repository.ts';

/** A customer is visible only through the caller's own active relationship with it. */
export async function getCustomer(ctx: UseCaseContext, customerId: string): Promise<{ view: RelationshipView; grants: GrantView<LiveGrant>[] }> {
  const found = await findCustomerView(ctx.tx, ctx.actor.organizationId, customerId, ctx.clock.now());
  if (found === undefined) throw notFound('customer');
  const { grants, ...view } = found;
  return { view, grants: grants.map((grant) => ({ grant, partner: view.partner, organization: view.customer })) };
}

/** Every grant (in force or not) the caller has held in a visible customer. */
export async function listCustomerGrants(ctx: UseCaseContext, customerId: string): Promise<GrantView[]> {
  if ((await findCustomerView(ctx.tx, ctx.actor.organizationId, customerId, ctx.clock.now())) === undefined) throw notFound('customer');
  return listGrantViews(ctx.tx, { partnerOrganizationId: ctx.actor.organizationId, organizationId: customerId });
}
