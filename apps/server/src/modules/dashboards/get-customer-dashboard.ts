import type { CustomerDashboard } from '@tierlink/contract';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { recentPartnerActions } from '../audit/index.ts';
import { partnerAccessOfCustomer } from '../customers/index.ts';
import { may } from './dashboards.policy.ts';
import { presentPartnerAccess } from './dashboards.presenter.ts';

const partnersShown = 20;
const actionsShown = 10;

/** A customer admin's home: its partners and what each may do; partners' recent actions with `audit.read`. */
export async function getCustomerDashboard(ctx: UseCaseContext): Promise<CustomerDashboard> {
  const me = ctx.actor.organizationId;
  const partners = await partnerAccessOfCustomer(ctx.tx, me, ctx.clock.now(), partnersShown);
  const actions = may(ctx.actor, 'audit.read') ? await recentPartnerActions(ctx.tx, me, actionsShown) : null;
  return {
    partners: { items: partners.items.map(presentPartnerAccess), more: partners.more },
    recentPartnerActions:
      actions === null
        ? null
        : actions.map((a) => ({ id: a.id, occurredAt: a.occurredAt.toISOString(), action: a.action, actorDisplayName: a.actorDisplayName, partner: a.partner })),
  };
}
