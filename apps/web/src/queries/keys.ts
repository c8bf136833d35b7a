import type { InvitationState, Program } from '@tierlink/contract';
import type { Enrollment } from '@tierlink/client';

/** Whose partner list or credit line: a provider's resellers, or a reseller's providers. */
export type PartnerSide = 'reseller' | 'provider';

/**
 * Every query key of the portal. A list's key starts with its resource's `all`, so invalidating
 * `all` reaches every filter and page of it. A customer's own data sits under `customer.all(id)`,
 * so that removing the customer drops it too.
 */
export const queryKeys = {
  me: ['me'] as const,
  /** The caller's home dashboard (one per kind of organization). */
  dashboard: (kind: 'provider' | 'reseller' | 'customer' | 'operator') => ['dashboard', kind] as const,
  capabilities: { mailbox: ['capabilities', 'mailbox'] as const },
  customers: {
    all: ['customers'] as const,
    list: (filter: { name: string }) => ['customers', filter] as const,
  },
  customer: {
    all: (id: string) => ['customer', id] as const,
    grants: (id: string) => ['customer', id, 'grants'] as const,
    subscriptions: (id: string) => ['customer', id, 'subscriptions'] as const,
    orders: (id: string) => ['customer', id, 'orders'] as const,
    users: (id: string) => ['customer', id, 'users'] as const,
  },
  sharedCustomers: (providerId: string) => ['shared-customers', providerId] as const,
  /** `partners(side)`: the caller's resellers (side 'reseller') or providers (side 'provider'). */
  partners: (side: PartnerSide) => {
    const all = [side === 'reseller' ? 'indirect-resellers' : 'indirect-providers'] as const;
    return { all, names: [...all, 'names'] as const };
  },
  customerPartners: { all: ['partners'] as const },
  /** Every credit line of one side; `creditLines` is one page's batch under it. */
  credit: (side: PartnerSide) => ['credit', side] as const,
  creditLines: (side: PartnerSide, ids: readonly string[]) => ['credit', side, ids.join(',')] as const,
  invitations: {
    all: ['invitations'] as const,
    list: (filter: { state: InvitationState | ''; email: string; sort: string; order: string; limit: number }) => ['invitations', filter] as const,
  },
  invitation: {
    preview: (id: string, token?: string) => (token === undefined ? (['invitation-preview', id] as const) : (['invitation-preview', id, token] as const)),
    outcome: (id: string) => ['invitation-outcome', id] as const,
  },
  users: { all: ['users'] as const },
  apiKeys: { all: ['api-keys'] as const },
  /** An endpoint and its delivery log sit under `all`: a change to one refreshes both. */
  webhooks: {
    all: ['webhook-endpoints'] as const,
    endpoint: (id: string) => ['webhook-endpoints', id] as const,
    deliveries: (id: string, filter: { status: string }) => ['webhook-endpoints', id, 'deliveries', filter] as const,
  },
  eventTypes: ['event-types'] as const,
  /** Relationships, one relationship and the requests waiting: any transition makes all of them stale. */
  delegatedAdmin: {
    all: ['delegated-admin'] as const,
    relationship: (id: string) => ['delegated-admin', 'relationship', id] as const,
  },
  auditEvents: {
    all: ['audit-events'] as const,
    list: (filter: object) => ['audit-events', filter] as const,
  },
  mailbox: { list: (filter: { to: string }) => ['mailbox', filter] as const },
  catalog: { all: ['catalog'] as const },
  ownSubscriptions: { all: ['own-subscriptions'] as const },
  /** The partner-wide lists; placing or changing an order invalidates their `all`. */
  partnerSubscriptions: {
    all: ['partner-subscriptions'] as const,
    list: (view: object) => ['partner-subscriptions', view] as const,
  },
  partnerOrders: {
    all: ['partner-orders'] as const,
    list: (view: object) => ['partner-orders', view] as const,
  },
  enrollments: {
    all: ['enrollments'] as const,
    own: ['enrollments', 'current'] as const,
  },
  verifiedEmail: (enrollmentId: string) => ['verify-email-done', enrollmentId] as const,
  operator: {
    partners: {
      all: ['operator-partners'] as const,
      list: (filter: { name: string; program: Program | '' }) => ['operator-partners', filter] as const,
    },
    enrollments: {
      all: ['operator-enrollments'] as const,
      list: (filter: { state: Enrollment['state'] | '' }) => ['operator-enrollments', filter] as const,
    },
  },
};
