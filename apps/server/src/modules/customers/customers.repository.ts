import { countCap, type ListCount } from '@tierlink/contract';
import { and, asc, eq, ilike, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { preparedSelect, type Executor } from '../../db/database.ts';
import { delegatedAdminGrants, organizations, resellerRelationships } from '../../db/schema.ts';
import { countUpTo, likePrefix } from '../../platform/cursor.ts';
import { keysetAfterSorted, orderBySorted, type SortAfter, type SortKey } from '../../platform/sorted-keyset.ts';
import type { OrganizationRef } from '../delegated-admin/index.ts';

import type { RelationshipRow, RelationshipView } from './customers.queries.ts';

export type { RelationshipRow, RelationshipView };

const partnerOrg = alias(organizations, 'partner_org');
const customerOrg = alias(organizations, 'customer_org');

const viewSelection = {
  relationship: resellerRelationships,
  partner: { id: partnerOrg.id, name: partnerOrg.name, domain: partnerOrg.domain, country: partnerOrg.country },
  customer: { id: customerOrg.id, name: customerOrg.name, domain: customerOrg.domain, country: customerOrg.country },
};

function selectViews(db: Executor) {
  return db
    .select(viewSelection)
    .from(resellerRelationships)
    .innerJoin(partnerOrg, eq(partnerOrg.id, resellerRelationships.partnerOrganizationId))
    .innerJoin(customerOrg, eq(customerOrg.id, resellerRelationships.customerOrganizationId));
}

/** The customer's sort name is copied from its organization in the same statement. */
export async function insertRelationship(
  db: Executor,
  row: Omit<typeof resellerRelationships.$inferInsert, 'customerSortName' | 'customerDomain' | 'customerCountry'>,
): Promise<RelationshipRow> {
  const customer = (column: SQL) => sql<string>`(select ${column} from ${organizations} where ${organizations.id} = ${row.customerOrganizationId})`;
  const [created] = await db
    .insert(resellerRelationships)
    .values({
      ...row,
      customerSortName: customer(sql`lower(${organizations.name})`),
      customerDomain: customer(sql`${organizations.domain}`),
      customerCountry: customer(sql`${organizations.country}`),
    })
    .returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function lockActiveRelationship(db: Executor, partnerId: string, customerId: string): Promise<RelationshipRow | undefined> {
  const [row] = await db
    .select()
    .from(resellerRelationships)
    .where(
      and(
        eq(resellerRelationships.partnerOrganizationId, partnerId),
        eq(resellerRelationships.customerOrganizationId, customerId),
        eq(resellerRelationships.state, 'active'),
      ),
    )
    .for('update');
  return row;
}

export async function markRemoved(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(resellerRelationships).set({ state: 'removed', removedAt: at }).where(eq(resellerRelationships.id, id));
}

export async function findRelationshipViews(db: Executor, ids: string[]): Promise<RelationshipView[]> {
  if (ids.length === 0) return [];
  return selectViews(db).where(inArray(resellerRelationships.id, ids)).orderBy(asc(resellerRelationships.createdAt));
}

/** What a customer list is sorted by: the relationship's copies of the customer's columns, each in a partner keyset index. */
export type CustomerSortKey = 'name' | 'domain' | 'country' | 'since';

/** Each sort's key: the relationship's copy of the customer's column (the id breaks ties). */
export const customerSortKeys: Record<CustomerSortKey, SortKey> = {
  name: { columns: [{ sql: resellerRelationships.customerSortName, type: 'text' }] },
  domain: { columns: [{ sql: resellerRelationships.customerDomain, type: 'text' }] },
  country: { columns: [{ sql: resellerRelationships.customerCountry, type: 'text' }] },
  since: { columns: [{ sql: resellerRelationships.createdAt, type: 'timestamptz' }] },
};

/** The sort key of a row as its cursor carries it: the value the database sorted by. */
export function customerSortValue(row: RelationshipRow, sort: CustomerSortKey): string {
  if (sort === 'since') return row.createdAt.toISOString();
  return sort === 'name' ? row.customerSortName : sort === 'domain' ? row.customerDomain : row.customerCountry;
}

export interface CustomerFilter {
  name?: string | undefined;
  search?: string | undefined;
  sharedWith?: string | undefined;
  customerId?: string | undefined;
}

/** The partner's active customers the filter keeps. `sharedWith` keeps those that partner also serves. */
function customerConditions(partnerId: string, filter: CustomerFilter): SQL | undefined {
  return and(
    eq(resellerRelationships.partnerOrganizationId, partnerId),
    eq(resellerRelationships.state, 'active'),
    filter.customerId === undefined ? undefined : eq(resellerRelationships.customerOrganizationId, filter.customerId),
    filter.name === undefined ? undefined : ilike(resellerRelationships.customerSortName, likePrefix(filter.name)),
    filter.search === undefined
      ? undefined
      : or(ilike(resellerRelationships.customerSortName, likePrefix(filter.search)), like(resellerRelationships.customerDomain, likePrefix(filter.search))),
    filter.sharedWith === undefined
      ? undefined
      : sql`exists (select 1 from ${resellerRelationships} as other_rr where other_rr.partner_organization_id = ${filter.sharedWith}
          and other_rr.customer_organization_id = ${resellerRelationships.customerOrganizationId} and other_rr.state = 'active')`,
  );
}

/**
 * The partner's customers in the order asked, ties by customer id. Sorted and paged on the
 * relationship's own copies of the customer's columns, so a page is a range of one of the
 * partner's keyset indexes (partner, key, customer) whether it has ten customers or fifty thousand.
 */
export async function listCustomerViews(
  db: Executor,
  partnerId: string,
  query: CustomerFilter & { limit: number; after: SortAfter | null; sort?: CustomerSortKey; order?: 'asc' | 'desc' },
): Promise<RelationshipView[]> {
  const key = customerSortKeys[query.sort ?? 'name'];
  const order = query.order ?? 'asc';
  return selectViews(db)
    .where(and(customerConditions(partnerId, query), keysetAfterSorted(key, resellerRelationships.customerOrganizationId, order, query.after)))
    .orderBy(...orderBySorted(key, resellerRelationships.customerOrganizationId, order))
    .limit(query.limit + 1);
}

/** How many customers the filter keeps, exact up to the count cap. */
export async function countCustomers(db: Executor, partnerId: string, filter: CustomerFilter): Promise<ListCount> {
  return countUpTo(db, db.select({ one: sql`1` }).from(resellerRelationships).where(customerConditions(partnerId, filter)).limit(countCap + 1));
}

/**
 * A page of the partner's customers with no filter: the API's most frequent statement, so it is
 * prepared once per executor (reads run on the database itself, so in practice once per process
 * and connection) instead of being built for every request. Same rows as `listCustomerViews`.
 */
export async function listCustomerPage(db: Executor, partnerId: string, query: { limit: number; after: SortAfter | null }): Promise<RelationshipView[]> {
  const limit = query.limit + 1;
  return query.after === null
    ? firstPage(db).execute({ partnerId, limit })
    : pageAfter(db).execute({ partnerId, limit, afterKey: String(query.after.values[0]), afterId: query.after.id });
}

const activeOf = and(eq(resellerRelationships.partnerOrganizationId, sql.placeholder('partnerId')), eq(resellerRelationships.state, 'active'));
const pageOrder = [asc(resellerRelationships.customerSortName), asc(resellerRelationships.customerOrganizationId)] as const;
const firstPage = preparedSelect<RelationshipView, { partnerId: string; limit: number }>('customers_page_first', viewSelection, (db) =>
  selectViews(db).where(activeOf).orderBy(...pageOrder).limit(sql.placeholder('limit')),
);
const pageAfter = preparedSelect<RelationshipView, { partnerId: string; limit: number; afterKey: string; afterId: string }>('customers_page_after', viewSelection, (db) =>
  selectViews(db)
    .where(
      and(
        activeOf,
        sql`(${resellerRelationships.customerSortName}, ${resellerRelationships.customerOrganizationId}) > (${sql.placeholder('afterKey')}, ${sql.placeholder('afterId')}::uuid)`,
      ),
    )
    .orderBy(...pageOrder)
    .limit(sql.placeholder('limit')),
);

/** What the customer admin's partner list is sorted by; ties by the partner's id. */
export type CustomerPartnerSortKey = 'name' | 'domain' | 'country';

const customerPartnerSortColumns = { name: sql<string>`lower(${organizations.name})`, domain: organizations.domain, country: organizations.country } as const;

/** A partner sort's key: one text column (the id breaks ties). */
export const customerPartnerSortKey = (sort: CustomerPartnerSortKey): SortKey => ({ columns: [{ sql: customerPartnerSortColumns[sort], type: 'text' }] });

export interface CustomerPartnerFilter {
  name?: string | undefined;
  search?: string | undefined;
}

/** Partners that hold an active relationship or a live grant in the customer's organization, and pass the filter. */
function partnersOfCustomer(customerId: string, now: Date, filter: CustomerPartnerFilter): SQL | undefined {
  return and(
    sql`${organizations.id} in (
      select ${resellerRelationships.partnerOrganizationId} from ${resellerRelationships}
       where ${resellerRelationships.customerOrganizationId} = ${customerId} and ${resellerRelationships.state} = 'active'
      union
      select ${delegatedAdminGrants.partnerOrganizationId} from ${delegatedAdminGrants}
       where ${delegatedAdminGrants.organizationId} = ${customerId} and ${delegatedAdminGrants.state} = 'active'
         and (${delegatedAdminGrants.endsAt} is null or ${delegatedAdminGrants.endsAt} > ${now}))`,
    filter.name === undefined ? undefined : ilike(organizations.name, likePrefix(filter.name)),
    filter.search === undefined ? undefined : or(ilike(organizations.name, likePrefix(filter.search)), like(organizations.domain, likePrefix(filter.search))),
  );
}

/**
 * The customer's partners in the order asked, each with the key it was sorted by as the database
 * computed it. A customer has partners by the handful: the sort runs on the scoped rows.
 */
export async function listPartnersOfCustomer(
  db: Executor,
  customerId: string,
  now: Date,
  query: CustomerPartnerFilter & { limit: number; after: SortAfter | null; sort?: CustomerPartnerSortKey; order?: 'asc' | 'desc' },
): Promise<(OrganizationRef & { sortKey: string })[]> {
  const column = customerPartnerSortColumns[query.sort ?? 'name'];
  const key = customerPartnerSortKey(query.sort ?? 'name');
  const order = query.order ?? 'asc';
  return db
    .select({ id: organizations.id, name: organizations.name, domain: organizations.domain, country: organizations.country, sortKey: sql<string>`${column}` })
    .from(organizations)
    .where(and(partnersOfCustomer(customerId, now, query), keysetAfterSorted(key, organizations.id, order, query.after)))
    .orderBy(...orderBySorted(key, organizations.id, order))
    .limit(query.limit + 1);
}

export async function countPartnersOfCustomer(db: Executor, customerId: string, now: Date, filter: CustomerPartnerFilter): Promise<ListCount> {
  return countUpTo(db, db.select({ one: sql`1` }).from(organizations).where(partnersOfCustomer(customerId, now, filter)).limit(countCap + 1));
}

export async function activeRelationshipsOfCustomer(db: Executor, customerId: string, partnerIds: string[]): Promise<RelationshipView[]> {
  if (partnerIds.length === 0) return [];
  return selectViews(db).where(
    and(
      eq(resellerRelationships.customerOrganizationId, customerId),
      inArray(resellerRelationships.partnerOrganizationId, partnerIds),
      eq(resellerRelationships.state, 'active'),
    ),
  );
}

