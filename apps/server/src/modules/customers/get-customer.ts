import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listGrantViews, type GrantView } from '../delegated-admin/index.ts';
import { listCustomerViews, type RelationshipView } from './customers.repository.ts';

/** A customer is visible only through the caller's own active relationship with it. */
export async function getCustomer(ctx: UseCaseContext, customerId: string): Promise<{ view: RelationshipView; grants: GrantView[] }> {
  const [view] = await listCustomerViews(ctx.tx, ctx.actor.organizationId, { limit: 1, after: null, customerId });
  if (view === undefined) throw notFound('customer');
  const grants = await listGrantViews(ctx.tx, {
    partnerOrganizationId: ctx.actor.organizationId,
    organizationId: customerId,
    liveAt: ctx.clock.now(),
  });
  return { view, grants };
}

/** Every grant (in force or not) the caller has held in a visible customer. */
export async function listCustomerGrants(ctx: UseCaseContext, customerId: string): Promise<GrantView[]> {
  const [view] = await listCustomerViews(ctx.tx, ctx.actor.organizationId, { limit: 1, after: null, customerId });
  if (view === undefined) throw notFound('customer');
  return listGrantViews(ctx.tx, { partnerOrganizationId: ctx.actor.organizationId, organizationId: customerId });
}
