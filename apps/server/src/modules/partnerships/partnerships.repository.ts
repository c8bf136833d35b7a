import { countCap, type ListCount } from '@tierlink/contract';
import { and, eq, ilike, like, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/database.ts';
import { organizations, partnerships } from '../../db/schema.ts';
import { countUpTo, likePrefix } from '../../platform/cursor.ts';
import { keysetAfterSorted, orderBySorted, type SortAfter, type SortKey } from '../../platform/sorted-keyset.ts';

import type { PartnershipRow, PartnershipView } from './partnerships.queries.ts';

export type { PartnershipRow, PartnershipView };

const providerOrg = alias(organizations, 'provider_org');
const resellerOrg = alias(organizations, 'reseller_org');

export async function insertPartnership(db: Executor, row: typeof partnerships.$inferInsert): Promise<PartnershipRow> {
  const [created] = await db.insert(partnerships).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function markEnded(db: Executor, id: string, at: Date, byOrganizationId: string): Promise<PartnershipRow> {
  const [row] = await db
    .update(partnerships)
    .set({ state: 'ended', endedAt: at, endedByOrganizationId: byOrganizationId })
    .where(eq(partnerships.id, id))
    .returning();
  if (row === undefined) throw new Error('update returned nothing');
  return row;
}

/** What the partner lists are sorted by; ties by the other organization's id. */
export type PartnershipSortKey = 'name' | 'country' | 'since';

export interface PartnershipFilter {
  name?: string | undefined;
  search?: string | undefined;
}

/** The other end of the caller's partnerships: resellers of a provider, providers of a reseller. */
const otherOf = (side: 'provider' | 'reseller') => (side === 'provider' ? resellerOrg : providerOrg);

function partnershipSortColumn(side: 'provider' | 'reseller', sort: PartnershipSortKey): SQLWrapper {
  const other = otherOf(side);
  return sort === 'name' ? sql<string>`lower(${other.name})` : sort === 'country' ? other.country : partnerships.createdAt;
}

/** A partner sort's key: one column of the other end, or the partnership's start (its id breaks ties). */
export const partnershipSortKey = (side: 'provider' | 'reseller', sort: PartnershipSortKey): SortKey => ({
  columns: [{ sql: partnershipSortColumn(side, sort), type: sort === 'since' ? 'timestamptz' : 'text' }],
});

function partnershipConditions(side: 'provider' | 'reseller', organizationId: string, filter: PartnershipFilter): SQL | undefined {
  const own = side === 'provider' ? partnerships.providerOrganizationId : partnerships.resellerOrganizationId;
  const other = otherOf(side);
  return and(
    eq(own, organizationId),
    eq(partnerships.state, 'active'),
    filter.name === undefined ? undefined : ilike(other.name, likePrefix(filter.name)),
    filter.search === undefined ? undefined : or(ilike(other.name, likePrefix(filter.search)), like(other.domain, likePrefix(filter.search))),
  );
}

/**
 * Active partnerships of one side in the order asked, each with the key it was sorted by as the
 * database computed it. Scoped in SQL: the caller's organization is always one end of every row
 * returned. A partner has partners by the hundred, not the hundred thousand: the sort runs on the
 * scoped rows (the scope itself is an index scan).
 */
export async function listActivePartnerships(
  db: Executor,
  side: 'provider' | 'reseller',
  organizationId: string,
  query: PartnershipFilter & { limit: number; after: SortAfter | null; sort?: PartnershipSortKey; order?: 'asc' | 'desc' },
): Promise<(PartnershipView & { sortKey: string })[]> {
  const other = otherOf(side);
  const sort = query.sort ?? 'name';
  const order = query.order ?? 'asc';
  const column = partnershipSortColumn(side, sort);
  const key = partnershipSortKey(side, sort);
  const rows = await db
    .select({
      partnership: partnerships,
      provider: { id: providerOrg.id, name: providerOrg.name, domain: providerOrg.domain, country: providerOrg.country },
      reseller: { id: resellerOrg.id, name: resellerOrg.name, domain: resellerOrg.domain, country: resellerOrg.country },
      sortKey: sort === 'since' ? sql<string>`''` : sql<string>`${column}`,
    })
    .from(partnerships)
    .innerJoin(providerOrg, eq(providerOrg.id, partnerships.providerOrganizationId))
    .innerJoin(resellerOrg, eq(resellerOrg.id, partnerships.resellerOrganizationId))
    .where(and(partnershipConditions(side, organizationId, query), keysetAfterSorted(key, other.id, order, query.after)))
    .orderBy(...orderBySorted(key, other.id, order))
    .limit(query.limit + 1);
  // Times travel as ISO text (the cursor's form).
  return sort === 'since' ? rows.map((r) => ({ ...r, sortKey: r.partnership.createdAt.toISOString() })) : rows;
}

export async function countActivePartnerships(db: Executor, side: 'provider' | 'reseller', organizationId: string, filter: PartnershipFilter): Promise<ListCount> {
  const other = otherOf(side);
  return countUpTo(
    db,
    db
      .select({ one: sql`1` })
      .from(partnerships)
      .innerJoin(other, eq(other.id, side === 'provider' ? partnerships.resellerOrganizationId : partnerships.providerOrganizationId))
      .where(partnershipConditions(side, organizationId, filter))
      .limit(countCap + 1),
  );
}

export async function findPartnershipView(db: Executor, id: string): Promise<PartnershipView | undefined> {
  const [row] = await db
    .select({ partnership: partnerships, provider: { id: providerOrg.id, name: providerOrg.name, domain: providerOrg.domain, country: providerOrg.country }, reseller: { id: resellerOrg.id, name: resellerOrg.name, domain: resellerOrg.domain, country: resellerOrg.country } })
    .from(partnerships)
    .innerJoin(providerOrg, eq(providerOrg.id, partnerships.providerOrganizationId))
    .innerJoin(resellerOrg, eq(resellerOrg.id, partnerships.resellerOrganizationId))
    .where(eq(partnerships.id, id))
    .limit(1);
  return row;
}
