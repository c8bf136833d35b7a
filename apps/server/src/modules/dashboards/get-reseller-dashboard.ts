import type { ResellerDashboard } from '@tierlink/contract';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { creditUsage, ordersByMonth, subscriptionsByProduct } from '../commerce/index.ts';
import { countActiveCustomers } from '../customers/index.ts';
import { countGrantsEndingBy } from '../delegated-admin/index.ts';
import { countPendingInvitations } from '../invitations/index.ts';
import { activePartnerIds } from '../partnerships/index.ts';
import { endingSoonUntil, may, monthWindow } from './dashboards.policy.ts';
import { presentOrdersByMonth } from './dashboards.presenter.ts';

/** An indirect reseller's home: each section as far as the caller may read the list behind it. */
export async function getResellerDashboard(ctx: UseCaseContext): Promise<ResellerDashboard> {
  const { actor, tx } = ctx;
  const me = actor.organizationId;
  const now = ctx.clock.now();
  const window = monthWindow(now);
  const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const readsSubscriptions = may(actor, 'subscriptions.read');
  const readsCredit = may(actor, 'credit.read');
  const providerIds = readsCredit ? await activePartnerIds(tx, 'reseller', me) : [];
  return {
    customers: may(actor, 'customers.read') ? await countActiveCustomers(tx, me) : null,
    subscriptionsByProduct: readsSubscriptions ? await subscriptionsByProduct(tx, me) : null,
    ordersByMonth: readsSubscriptions ? presentOrdersByMonth(window.months, await ordersByMonth(tx, { resellerId: me }, window.since, now)) : null,
    credit: readsCredit ? await creditUsage(tx, 'reseller', me, providerIds, periodStart, providerIds.length) : null,
    pendingInvitations: may(actor, 'invitations.manage') ? await countPendingInvitations(tx, me, now) : null,
    delegatedAdminEndingSoon: may(actor, 'customers.read') ? await countGrantsEndingBy(tx, me, now, endingSoonUntil(now)) : null,
    periodStart: periodStart.toISOString(),
  };
}
