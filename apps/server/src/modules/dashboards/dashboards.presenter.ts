import type { CustomerDashboard, DelegatedRole, OrdersByMonth } from '@tierlink/contract';
import type { MonthlyOrders } from '../commerce/index.ts';
import type { PartnerAccess } from '../customers/index.ts';

/** Every month of the window, zero-filled, each with its currencies in code order. */
export function presentOrdersByMonth(months: readonly string[], rows: readonly MonthlyOrders[]): OrdersByMonth {
  return months.map((month) => {
    const of = rows.filter((r) => r.month === month).sort((a, b) => a.currency.localeCompare(b.currency));
    return {
      month,
      orders: of.reduce((sum, r) => sum + r.orders, 0),
      value: of.map((r) => ({ amount: r.amount, currency: r.currency })),
    };
  });
}

/** A partner's access as the customer's home shows it: the union of its live grants' roles and their earliest end. */
export function presentPartnerAccess(access: PartnerAccess): CustomerDashboard['partners']['items'][number] {
  const roles = new Set<DelegatedRole>();
  let endsAt: Date | null = null;
  for (const { grant } of access.grants) {
    for (const role of grant.roles) roles.add(role as DelegatedRole);
    if (grant.endsAt !== null && (endsAt === null || grant.endsAt < endsAt)) endsAt = grant.endsAt;
  }
  return {
    organization: access.organization,
    relationship: access.relationship,
    roles: [...roles].sort(),
    accessEndsAt: endsAt === null ? null : endsAt.toISOString(),
  };
}
