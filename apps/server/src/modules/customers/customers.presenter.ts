import type { Customer, ResellerRelationship } from '@tierlink/contract';
import { presentGrant, type GrantView } from '../delegated-admin/index.ts';
import type { RelationshipView } from './customers.repository.ts';

export function presentRelationship(view: RelationshipView): ResellerRelationship {
  const r = view.relationship;
  return {
    id: r.id,
    partner: view.partner,
    customer: view.customer,
    state: r.state,
    source: r.source,
    createdAt: r.createdAt.toISOString(),
    removedAt: r.removedAt?.toISOString() ?? null,
  };
}

/** `grants`: the caller's grants in this customer's organization. */
export function presentCustomer(view: RelationshipView, grants: readonly GrantView[], now: Date): Customer {
  return {
    ...view.customer,
    relationship: presentRelationship(view),
    delegatedAdmin: grants.map((g) => presentGrant(g, now)),
  };
}

/** A page of customers, each with its own grants: grouped once instead of searched per customer. */
export function presentCustomers(views: readonly RelationshipView[], grants: readonly GrantView[], now: Date): Customer[] {
  const byOrganization = new Map<string, GrantView[]>();
  for (const grant of grants) {
    const held = byOrganization.get(grant.organization.id);
    if (held === undefined) byOrganization.set(grant.organization.id, [grant]);
    else held.push(grant);
  }
  return views.map((view) => presentCustomer(view, byOrganization.get(view.customer.id) ?? [], now));
}
