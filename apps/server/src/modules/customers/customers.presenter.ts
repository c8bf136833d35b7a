import type { Customer, ResellerRelationship } from '@tierlink/contract';
import type { CsvCell } from '../../platform/http/csv-response.ts';
import { presentGrant, type GrantView, type LiveGrant } from '../delegated-admin/index.ts';
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
export function presentCustomer(view: RelationshipView, grants: readonly GrantView<LiveGrant>[], now: Date): Customer {
  const { id, name, domain, country } = view.customer;
  // Named, not spread: every customer of a page then has one shape (a spread of the decoded row
  // was the page's costliest line of presenting).
  return {
    id,
    name,
    domain,
    country,
    relationship: presentRelationship(view),
    delegatedAdmin: grants.map((g) => presentGrant(g, now)),
  };
}

/** A page of customers, each with its own grants: grouped once instead of searched per customer. */
export function presentCustomers(views: readonly RelationshipView[], grants: readonly GrantView<LiveGrant>[], now: Date): Customer[] {
  const byOrganization = new Map<string, GrantView<LiveGrant>[]>();
  for (const grant of grants) {
    const held = byOrganization.get(grant.organization.id);
    if (held === undefined) byOrganization.set(grant.organization.id, [grant]);
    else held.push(grant);
  }
  return views.map((view) => presentCustomer(view, byOrganization.get(view.customer.id) ?? [], now));
}

/** The CSV export's columns, in order (codes and ids as the API gives them). */
export const customerCsvColumns = ['customer_id', 'name', 'domain', 'country', 'source', 'since', 'delegated_admin_roles', 'delegated_admin_ends_at'] as const;

/** One customer as a CSV row; `grants`: the caller's live grants in it (roles joined by spaces). */
export function customerCsvCells(view: RelationshipView, grants: readonly GrantView<LiveGrant>[]): CsvCell[] {
  const roles = [...new Set(grants.flatMap((g) => g.grant.roles))].sort();
  return [
    view.customer.id,
    view.customer.name,
    view.customer.domain,
    view.customer.country,
    view.relationship.source,
    view.relationship.createdAt.toISOString(),
    roles.join(' '),
    lastEnd(grants)?.toISOString() ?? null,
  ];
}

/** A batch of the export as CSV rows, each customer with its own grants. */
export function customerCsvRows(batch: { views: RelationshipView[]; grants: GrantView<LiveGrant>[] }): { view: RelationshipView; grants: GrantView<LiveGrant>[] }[] {
  return batch.views.map((view) => ({ view, grants: batch.grants.filter((g) => g.organization.id === view.customer.id) }));
}

/** The customer admin's partner export: its columns, in order. */
export const customerPartnerCsvColumns = ['partner_id', 'name', 'domain', 'country', 'reseller_of_record_since', 'delegated_admin_roles', 'delegated_admin_ends_at'] as const;

/**
 * One partner as a CSV row: since when it is reseller of record (empty if it is not), and the
 * roles of its grants in force at `now` with the latest end (empty when one never ends).
 */
export function customerPartnerCsvCells(item: { organization: { id: string; name: string; domain: string; country: string }; relationship: RelationshipView | null; grants: readonly GrantView<LiveGrant>[] }, now: Date): CsvCell[] {
  const live = item.grants.filter((g) => g.grant.state === 'active' && g.grant.startsAt !== null && g.grant.startsAt <= now && (g.grant.endsAt === null || g.grant.endsAt > now));
  return [
    item.organization.id,
    item.organization.name,
    item.organization.domain,
    item.organization.country,
    item.relationship?.relationship.createdAt.toISOString() ?? null,
    [...new Set(live.flatMap((g) => g.grant.roles))].sort().join(' '),
    lastEnd(live)?.toISOString() ?? null,
  ];
}

/** When the last of these grants ends; null when there is none, or one never ends. */
function lastEnd(grants: readonly GrantView<LiveGrant>[]): Date | null {
  const ends = grants.map((g) => g.grant.endsAt);
  if (ends.length === 0 || ends.some((d) => d === null)) return null;
  return new Date(Math.max(...ends.map((d) => d?.getTime() ?? 0)));
}
