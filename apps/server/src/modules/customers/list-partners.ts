import type { CustomerPartnerSort, ListCount } from '@tierlink/contract';
import { decodeSortCursor, toSortedPage } from '../../platform/sorted-keyset.ts';
import { exportBatch, keysetBatches } from '../../platform/http/csv-response.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listGrantViews, type GrantView, type OrganizationRef } from '../delegated-admin/index.ts';
import { activeRelationshipsOfCustomer, countPartnersOfCustomer, customerPartnerSortKey, listPartnersOfCustomer, type RelationshipView } from './customers.repository.ts';

export interface CustomerPartnerItem {
  organization: OrganizationRef;
  relationship: RelationshipView | null;
  grants: GrantView[];
}

export interface CustomerPartnerListFilter {
  name?: string | undefined;
  search?: string | undefined;
  sort?: CustomerPartnerSort | undefined;
  order?: 'asc' | 'desc' | undefined;
}


/**
 * The customer admin's view: every partner with a relationship or admin access in the own
 * organization, with all grants it ever held there (so ended ones stay explainable); by name
 * unless asked otherwise.
 */
export async function listCustomerPartners(
  ctx: UseCaseContext,
  query: CustomerPartnerListFilter & { limit: number; cursor?: string | undefined; count?: 'true' | 'false' | undefined },
): Promise<{ items: CustomerPartnerItem[]; nextCursor: string | null; count: ListCount | null }> {
  const me = ctx.actor.organizationId;
  const sort = query.sort ?? 'name';
  const order = query.order ?? 'asc';
  const after = decodeSortCursor(query.cursor, sort, order, customerPartnerSortKey(sort));
  const now = ctx.clock.now();
  const rows = await listPartnersOfCustomer(ctx.tx, me, now, { name: query.name, search: query.search, sort, order, limit: query.limit, after });
  const result = toSortedPage(rows, query.limit, sort, order, (o) => ({ values: [o.sortKey], id: o.id }));
  const count = query.count === 'true' ? await countPartnersOfCustomer(ctx.tx, me, now, query) : null;
  return { items: await withDetails(ctx, result.items), nextCursor: result.nextCursor, count };
}

/** Every partner the filter keeps, in the order asked, in keyset batches with their relationship and grants: the CSV export streams them. */
export function exportCustomerPartners(ctx: UseCaseContext, filter: CustomerPartnerListFilter): AsyncGenerator<CustomerPartnerItem[]> {
  const sort = filter.sort ?? 'name';
  const order = filter.order ?? 'asc';
  const batches = keysetBatches<OrganizationRef & { sortKey: string }>((last) =>
    listPartnersOfCustomer(ctx.tx, ctx.actor.organizationId, ctx.clock.now(), {
      name: filter.name,
      search: filter.search,
      sort,
      order,
      limit: exportBatch - 1,
      after: last === null ? null : { values: [last.sortKey], id: last.id },
    }),
  );
  async function* items() {
    for await (const rows of batches) yield await withDetails(ctx, rows);
  }
  return items();
}

async function withDetails(ctx: UseCaseContext, partners: (OrganizationRef & { sortKey: string })[]): Promise<CustomerPartnerItem[]> {
  const me = ctx.actor.organizationId;
  const ids = partners.map((o) => o.id);
  const relationships = await activeRelationshipsOfCustomer(ctx.tx, me, ids);
  const grants = ids.length === 0 ? [] : await listGrantViews(ctx.tx, { organizationId: me, partnerOrganizationIds: ids });
  return partners.map(({ id, name, domain, country }) => ({
    organization: { id, name, domain, country },
    relationship: relationships.find((r) => r.partner.id === id) ?? null,
    grants: grants.filter((g) => g.partner.id === id),
  }));
}
