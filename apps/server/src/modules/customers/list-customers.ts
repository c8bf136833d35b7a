import type { CustomerSort, ListCount } from '@tierlink/contract';
import { decodeSortCursor, toSortedPage } from '../../platform/sorted-keyset.ts';
import { exportBatch, keysetBatches } from '../../platform/http/csv-response.ts';
import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { GrantView, LiveGrant } from '../delegated-admin/index.ts';
import { findActivePartnership } from '../partnerships/index.ts';
import {
  countCustomers,
  customerSortKeys,
  customerSortValue,
  listCustomerPage,
  listCustomerViews,
  type CustomerFilter,
  type CustomerView,
  type RelationshipView,
} from './customers.repository.ts';

export interface CustomerPage {
  items: RelationshipView[];
  grants: GrantView<LiveGrant>[];
  nextCursor: string | null;
  count: ListCount | null;
}

export interface CustomerListFilter {
  name?: string | undefined;
  search?: string | undefined;
  sort?: CustomerSort | undefined;
  order?: 'asc' | 'desc' | undefined;
}

interface ListQuery extends CustomerListFilter {
  limit: number;
  cursor?: string | undefined;
  count?: 'true' | 'false' | undefined;
}

/** The caller's customers: exactly those with an active relationship with the caller. */
export async function listCustomers(ctx: UseCaseContext, query: ListQuery): Promise<CustomerPage> {
  return page(ctx, query, undefined);
}

/**
 * "View customers" on an indirect provider: the customers the caller (reseller) and that provider
 * both have a relationship with. A provider the caller is not partnered with answers 404.
 */
export async function listSharedCustomers(ctx: UseCaseContext, providerId: string, query: ListQuery): Promise<CustomerPage> {
  await assertPartnered(ctx, providerId);
  return page(ctx, query, providerId);
}

async function assertPartnered(ctx: UseCaseContext, providerId: string): Promise<void> {
  if ((await findActivePartnership(ctx.tx, providerId, ctx.actor.organizationId)) === undefined) {
    throw notFound('indirect provider');
  }
}

async function page(ctx: UseCaseContext, query: ListQuery, sharedWith: string | undefined): Promise<CustomerPage> {
  const sort = query.sort ?? 'name';
  const order = query.order ?? 'asc';
  const after = decodeSortCursor(query.cursor, sort, order, customerSortKeys[sort]);
  const filter: CustomerFilter = { name: query.name, search: query.search, sharedWith };
  const now = ctx.clock.now();
  // Pages with no filter, the API's hottest statements, run on named prepared statements.
  const hot = query.name === undefined && query.search === undefined && sharedWith === undefined;
  const rows = hot
    ? await listCustomerPage(ctx.tx, ctx.actor.organizationId, now, { limit: query.limit, after, sort, order })
    : await listCustomerViews(ctx.tx, ctx.actor.organizationId, now, { ...filter, limit: query.limit, after, sort, order });
  // The key the rows were sorted by, as the database computed it (lower() and JS case mapping differ outside ASCII).
  const result = toSortedPage(rows, query.limit, sort, order, (v) => ({ values: [customerSortValue(v.relationship, sort)], id: v.relationship.customerOrganizationId }));
  const { views, grants } = splitGrants(result.items);
  const count = query.count === 'true' ? await countCustomers(ctx.tx, ctx.actor.organizationId, filter) : null;
  return { items: views, grants, nextCursor: result.nextCursor, count };
}

/**
 * Every customer the filter keeps, in the order asked, in keyset batches with each batch's live
 * grants: the CSV export streams them with no row cap. `sharedWith` is checked before anything
 * streams, so a provider the caller is not partnered with answers 404.
 */
export async function exportCustomers(
  ctx: UseCaseContext,
  filter: CustomerListFilter,
  sharedWith?: string,
): Promise<AsyncGenerator<{ views: RelationshipView[]; grants: GrantView<LiveGrant>[] }>> {
  if (sharedWith !== undefined) await assertPartnered(ctx, sharedWith);
  const sort = filter.sort ?? 'name';
  const order = filter.order ?? 'asc';
  const me = ctx.actor.organizationId;
  const batches = keysetBatches<CustomerView>((last) =>
    listCustomerViews(ctx.tx, me, ctx.clock.now(), {
      name: filter.name,
      search: filter.search,
      sharedWith,
      sort,
      order,
      limit: exportBatch - 1,
      after: last === null ? null : { values: [customerSortValue(last.relationship, sort)], id: last.relationship.customerOrganizationId },
    }),
  );
  async function* withGrants() {
    for await (const rows of batches) yield splitGrants(rows);
  }
  return withGrants();
}

/** The rows' views and their grants as views (the grant's partner and organization are the row's). */
function splitGrants(rows: CustomerView[]): { views: RelationshipView[]; grants: GrantView<LiveGrant>[] } {
  return {
    views: rows.map(({ grants: _grants, ...view }) => view),
    grants: rows.flatMap((row) => row.grants.map((grant) => ({ grant, partner: row.partner, organization: row.customer }))),
  };
}
