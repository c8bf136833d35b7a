import type { ProviderDashboard } from '@tierlink/contract';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { creditUsage, ordersByMonth } from '../commerce/index.ts';
import { countActiveCustomers } from '../customers/index.ts';
import { countGrantsEndingBy } from '../delegated-admin/index.ts';
import { countPendingInvitations } from '../invitations/index.ts';
import { activePartnerIds } from '../partnerships/index.ts';
import { endingSoonUntil, may, monthWindow } from './dashboards.policy.ts';
import { presentOrdersByMonth } from './dashboards.presenter.ts';

/** Credit lines shown on the provider's home: the most used ones. */
const creditLines = 10;

/** An indirect provider's home: each section as far as the caller may read the list behind it. */
export async function getProviderDashboard(ctx: UseCaseContext): Promise<ProviderDashboard> {
  const { actor, tx } = ctx;
  const me = actor.organizationId;
  const now = ctx.clock.now();
  const window = monthWindow(now);
  const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const readsResellers = may(actor, 'partnerships.read');
  const readsCredit = may(actor, 'credit.read');
  const resellerIds = readsResellers || readsCredit ? await activePartnerIds(tx, 'provider', me) : [];
  return {
    resellers: readsResellers ? resellerIds.length : null,
    customers: may(actor, 'customers.read') ? await countActiveCustomers(tx, me) : null,
    pendingInvitations: may(actor, 'invitations.manage') ? await countPendingInvitations(tx, me, now) : null,
    delegatedAdminEndingSoon: may(actor, 'customers.read') ? await countGrantsEndingBy(tx, me, now, endingSoonUntil(now)) : null,
    ordersByMonth: may(actor, 'subscriptions.read')
      ? presentOrdersByMonth(window.months, await ordersByMonth(tx, { providerId: me }, window.since, now))
      : null,
    credit: readsCredit
      ? { lines: await creditUsage(tx, 'provider', me, resellerIds, periodStart, creditLines), total: resellerIds.length }
      : null,
    periodStart: periodStart.toISOString(),
  };
}
