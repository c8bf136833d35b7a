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

export function presentCustomer(view: RelationshipView, grants: readonly GrantView[], now: Date): Customer {
  return {
    ...view.customer,
    relationship: presentRelationship(view),
    delegatedAdmin: grants.filter((g) => g.organization.id === view.customer.id).map((g) => presentGrant(g, now)),
  };
}
