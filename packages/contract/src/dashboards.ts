import { z } from 'zod';
import { Id, ListCount, OrganizationSummary, Timestamp } from './common.ts';
import { DelegatedRole, Program } from './roles.ts';

/** A calendar month in UTC, `YYYY-MM`. */
export const MonthKey = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month such as 2026-12');

/** An amount in minor units (cents) of its currency, as commerce carries money. */
export const Money = z.object({ amount: z.number().int(), currency: z.string() }).meta({ id: 'Money' });
export type Money = z.infer<typeof Money>;

/**
 * Completed orders per month: the last 12 calendar months (UTC) up to and including the current
 * one, oldest first, months without orders included with zero. `value` has one entry per currency
 * ordered in that month (none in a month without orders).
 */
export const OrdersByMonth = z
  .array(z.object({ month: MonthKey, orders: z.number().int().min(0), value: z.array(Money) }))
  .length(12)
  .meta({ id: 'OrdersByMonth' });
export type OrdersByMonth = z.infer<typeof OrdersByMonth>;

/** One credit line: this month's completed orders (`used`) against the provider's limit (null: none set). */
export const CreditUsage = z
  .object({ partner: OrganizationSummary, used: z.number().int().min(0), limit: z.number().int().nullable(), currency: z.string().nullable() })
  .meta({ id: 'CreditUsage' });
export type CreditUsage = z.infer<typeof CreditUsage>;

/**
 * Each section is null when the caller lacks the permission of the list behind it (e.g. `credit`
 * needs `credit.read`), so a dashboard never shows more than the lists would.
 */
export const ProviderDashboard = z
  .object({
    /** Active partnerships with indirect resellers (`partnerships.read`). */
    resellers: z.number().int().nullable(),
    /** Customers with an active relationship with the provider, most of them shared with a reseller (`customers.read`); counted up to `countCap` as lists count. */
    customers: ListCount.nullable(),
    /** Invitations the provider sent that are pending and not past their expiry (`invitations.manage`). */
    pendingInvitations: z.number().int().nullable(),
    /** The provider's delegated admin grants in force that end within 30 days (`customers.read`). */
    delegatedAdminEndingSoon: z.number().int().nullable(),
    ordersByMonth: OrdersByMonth.nullable(),
    /** Credit lines with the most used this month first, at most 10 (`credit.read`). */
    credit: z.object({ lines: z.array(CreditUsage), total: z.number().int() }).nullable(),
    periodStart: Timestamp,
  })
  .meta({ id: 'ProviderDashboard' });
export type ProviderDashboard = z.infer<typeof ProviderDashboard>;

export const SubscriptionsByProduct = z
  .array(z.object({ product: z.object({ id: Id, name: z.string() }), subscriptions: z.number().int().min(0), seats: z.number().int().min(0) }))
  .meta({ id: 'SubscriptionsByProduct' });

export const ResellerDashboard = z
  .object({
    /** Customers with an active relationship with the reseller (`customers.read`); counted up to `countCap` as lists count. */
    customers: ListCount.nullable(),
    /** Active subscriptions where the reseller is reseller of record, per product, most first (`subscriptions.read`). */
    subscriptionsByProduct: SubscriptionsByProduct.nullable(),
    ordersByMonth: OrdersByMonth.nullable(),
    /** The credit line with each active indirect provider (`credit.read`). */
    credit: z.array(CreditUsage).nullable(),
    /** What waits for the reseller: its pending invitations (`invitations.manage`) and grants ending within 30 days (`customers.read`). */
    pendingInvitations: z.number().int().nullable(),
    delegatedAdminEndingSoon: z.number().int().nullable(),
    periodStart: Timestamp,
  })
  .meta({ id: 'ResellerDashboard' });
export type ResellerDashboard = z.infer<typeof ResellerDashboard>;

export const CustomerDashboard = z
  .object({
    /** Partners with a relationship or admin access in force, by name, at most 20 (`more` when there are others). */
    partners: z.object({
      items: z.array(
        z.object({
          organization: OrganizationSummary,
          /** The partner is a reseller of record of the customer. */
          relationship: z.boolean(),
          /** The roles its admin agents hold in the customer through grants in force. */
          roles: z.array(DelegatedRole),
          /** The earliest end of those grants; null when none ends. */
          accessEndsAt: Timestamp.nullable(),
        }),
      ),
      more: z.boolean(),
    }),
    /** The last 10 audited actions of partners' users and keys in the organization (`audit.read`). */
    recentPartnerActions: z
      .array(z.object({ id: Id, occurredAt: Timestamp, action: z.string(), actorDisplayName: z.string().nullable(), partner: OrganizationSummary }))
      .nullable(),
  })
  .meta({ id: 'CustomerDashboard' });
export type CustomerDashboard = z.infer<typeof CustomerDashboard>;

export const OperatorDashboard = z
  .object({
    /** Enrollments waiting for the operator's decision (`in_review`). */
    enrollmentQueue: z.number().int(),
    /** Approved partner profiles per program and country, most first. */
    partnersByProgram: z.array(z.object({ program: Program, country: z.string(), partners: z.number().int().min(0) })),
    /** Program-wide completed orders: totals only, no order, customer or partner named. */
    ordersByMonth: OrdersByMonth,
  })
  .meta({ id: 'OperatorDashboard' });
export type OperatorDashboard = z.infer<typeof OperatorDashboard>;
