import { countCap, type ListCount } from '@tierlink/contract';
import { and, asc, desc, eq, ilike, inArray, like, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { preparedSelect, type Executor } from '../../db/database.ts';
import { delegatedAdminGrants, organizations, resellerRelationships } from '../../db/schema.ts';
import { countUpTo, likePrefix } from '../../platform/cursor.ts';
import { keysetAfterSorted, orderBySorted, type KeyType, type SortAfter, type SortKey } from '../../platform/sorted-keyset.ts';
import { liveGrantsOf, type LiveGrant, type OrganizationRef } from '../delegated-admin/index.ts';

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

/**
 * A customer row of the caller's list: the relationship, both organizations (joined once) and the
 * caller's grants in force in the customer, aggregated in the same statement.
 */
export interface CustomerView extends RelationshipView {
  grants: LiveGrant[];
}

/** The list's selection: the view and the partner's live grants in the row's customer at `at`. */
function customerSelection(at: Date | Placeholder) {
  return { ...viewSelection, grants: liveGrantsOf(resellerRelationships.partnerOrganizationId, resellerRelationships.customerOrganizationId, at) };
}

function selectCustomerViews(db: Executor, at: Date | Placeholder) {
  return db
    .select(customerSelection(at))
    .from(resellerRelationships)
    .innerJoin(partnerOrg, eq(partnerOrg.id, resellerRelationships.partnerOrganizationId))
    .innerJoin(customerOrg, eq(customerOrg.id, resellerRelationships.customerOrganizationId));
}

/**
 * Active relationships: the state is a constant of the text (never a parameter), so that a
 * prepared statement's generic plan can use the partial `state = 'active'` indexes.
 */
const active = sql`${resellerRelationships.state} = 'active'`;

/** The partner's active customers the filter keeps. `sharedWith` keeps those that partner also serves. */
function customerConditions(partnerId: string, filter: CustomerFilter): SQL | undefined {
  return and(
    eq(resellerRelationships.partnerOrganizationId, partnerId),
    active,
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
 * The partner's customers the filter keeps, in the order asked, ties by customer id, each with the
 * partner's grants in force at `now`. Sorted and paged on the relationship's own copies of the
 * customer's columns, so a page is a range of one of the partner's keyset indexes (partner, key,
 * customer) whether it has ten customers or fifty thousand. Built per call: a name or search
 * prefix is best planned with its value (a custom plan), and these are the rarer requests.
 */
export async function listCustomerViews(
  db: Executor,
  partnerId: string,
  now: Date,
  query: CustomerFilter & { limit: number; after: SortAfter | null; sort?: CustomerSortKey; order?: 'asc' | 'desc' },
): Promise<CustomerView[]> {
  const key = customerSortKeys[query.sort ?? 'name'];
  const order = query.order ?? 'asc';
  return selectCustomerViews(db, now)
    .where(and(customerConditions(partnerId, query), keysetAfterSorted(key, resellerRelationships.customerOrganizationId, order, query.after)))
    .orderBy(...orderBySorted(key, resellerRelationships.customerOrganizationId, order))
    .limit(query.limit + 1);
}

/** How many customers the filter keeps, exact up to the count cap. */
export async function countCustomers(db: Executor, partnerId: string, filter: CustomerFilter): Promise<ListCount> {
  return countUpTo(db, db.select({ one: sql`1` }).from(resellerRelationships).where(customerConditions(partnerId, filter)).limit(countCap + 1));
}

type PageParams = { partnerId: string; now: Date; limit: number; afterKey?: string; afterId?: string };

/** One named statement per sort, order and first or later page (16), each a range of its sort's keyset index. */
type PageStatement = (db: Executor) => { execute(values: PageParams): Promise<CustomerView[]> };
const pageStatements = new Map<string, PageStatement>();

/** The key's SQL type as the cursor's value is cast (`int` is no customer sort). */
const castOf = (type: KeyType) => sql.raw(type === 'int' ? 'integer' : type);

function pageStatement(sort: CustomerSortKey, order: 'asc' | 'desc', after: boolean): PageStatement {
  const name = `customers_page_${sort}_${order}_${after ? 'after' : 'first'}`;
  const known = pageStatements.get(name);
  if (known !== undefined) return known;
  const [column] = customerSortKeys[sort].columns;
  if (column === undefined) throw new Error(`customer sort ${sort} has no key column`);
  const id = resellerRelationships.customerOrganizationId;
  const direction = order === 'asc' ? asc : desc;
  const keyset = sql`(${column.sql}, ${id}) ${sql.raw(order === 'asc' ? '>' : '<')} (${sql.placeholder('afterKey')}::${castOf(column.type)}, ${sql.placeholder('afterId')}::uuid)`;
  const statement = preparedSelect<CustomerView, PageParams>(name, customerSelection(sql.placeholder('now')), (db) =>
    selectCustomerViews(db, sql.placeholder('now'))
      .where(and(eq(resellerRelationships.partnerOrganizationId, sql.placeholder('partnerId')), active, after ? keyset : undefined))
      .orderBy(direction(column.sql), direction(id))
      .limit(sql.placeholder('limit')),
  );
  pageStatements.set(name, statement);
  return statement;
}

/**
 * A page of the partner's customers with no filter, in any sort and order: the API's most frequent
 * statements, each named and prepared once per executor (reads run on the database itself, so in
 * practice once per process and connection) with a generic plan on its sort's partial keyset index.
 * Same rows as `listCustomerViews`.
 */
export async function listCustomerPage(
  db: Executor,
  partnerId: string,
  now: Date,
  query: { limit: number; after: SortAfter | null; sort: CustomerSortKey; order: 'asc' | 'desc' },
): Promise<CustomerView[]> {
  const limit = query.limit + 1;
  const { after } = query;
  return after === null
    ? pageStatement(query.sort, query.order, false)(db).execute({ partnerId, now, limit })
    : pageStatement(query.sort, query.order, true)(db).execute({ partnerId, now, limit, afterKey: String(after.values[0]), afterId: after.id });
}

/** One of the partner's active customers with its live grants (the active pair's unique index). */
export async function findCustomerView(db: Executor, partnerId: string, customerId: string, now: Date): Promise<CustomerView | undefined> {
  const [view] = await customerById(db).execute({ partnerId, customerId, now });
  return view;
}

const customerById = preparedSelect<CustomerView, { partnerId: string; customerId: string; now: Date }>(
  'customers_get',
  customerSelection(sql.placeholder('now')),
  (db) =>
    selectCustomerViews(db, sql.placeholder('now')).where(
      and(
        eq(resellerRelationships.partnerOrganizationId, sql.placeholder('partnerId')),
        eq(resellerRelationships.customerOrganizationId, sql.placeholder('customerId')),
        active,
      ),
    ),
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

