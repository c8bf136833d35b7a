import type { ListCount, PartnershipSort } from '@tierlink/contract';
import { decodeSortCursor, toSortedPage } from '../../platform/sorted-keyset.ts';
import { exportBatch, keysetBatches } from '../../platform/http/csv-response.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listGrantViews, type GrantView } from '../delegated-admin/index.ts';
import { countActivePartnerships, listActivePartnerships, partnershipSortKey, type PartnershipView } from './partnerships.repository.ts';

export interface PartnershipListItem {
  view: PartnershipView;
  /** The provider's live delegated admin grant in the reseller's own organization. */
  grant: GrantView | null;
}

export interface PartnershipListFilter {
  name?: string | undefined;
  search?: string | undefined;
  sort?: PartnershipSort | undefined;
  order?: 'asc' | 'desc' | undefined;
}

/**
 * The caller's indirect providers (`side: 'reseller'`, the caller is the reseller) or indirect
 * resellers (`side: 'provider'`), by the other side's name unless asked otherwise.
 */
export async function listPartnerships(
  ctx: UseCaseContext,
  side: 'provider' | 'reseller',
  query: PartnershipListFilter & { limit: number; cursor?: string | undefined; count?: 'true' | 'false' | undefined },
): Promise<{ items: PartnershipListItem[]; nextCursor: string | null; count: ListCount | null }> {
  const sort = query.sort ?? 'name';
  const order = query.order ?? 'asc';
  const after = decodeSortCursor(query.cursor, sort, order, partnershipSortKey(side, sort));
  const rows = await listActivePartnerships(ctx.tx, side, ctx.actor.organizationId, { name: query.name, search: query.search, sort, order, limit: query.limit, after });
  const other = (v: PartnershipView) => (side === 'provider' ? v.reseller : v.provider);
  const page = toSortedPage(rows, query.limit, sort, order, (v) => ({ values: [v.sortKey], id: other(v).id }));
  const count = query.count === 'true' ? await countActivePartnerships(ctx.tx, side, ctx.actor.organizationId, query) : null;
  return { items: await withGrants(ctx, page.items), nextCursor: page.nextCursor, count };
}

/** Every partnership of the side the filter keeps, in the order asked, in keyset batches with their grants: the CSV export streams them. */
export function exportPartnerships(ctx: UseCaseContext, side: 'provider' | 'reseller', filter: PartnershipListFilter): AsyncGenerator<PartnershipListItem[]> {
  const sort = filter.sort ?? 'name';
  const order = filter.order ?? 'asc';
  const other = (v: PartnershipView) => (side === 'provider' ? v.reseller : v.provider);
  const batches = keysetBatches<PartnershipView & { sortKey: string }>((last) =>
    listActivePartnerships(ctx.tx, side, ctx.actor.organizationId, {
      name: filter.name,
      search: filter.search,
      sort,
      order,
      limit: exportBatch - 1,
      after: last === null ? null : { values: [last.sortKey], id: other(last).id },
    }),
  );
  async function* items() {
    for await (const views of batches) yield await withGrants(ctx, views);
  }
  return items();
}

async function withGrants(ctx: UseCaseContext, views: PartnershipView[]): Promise<PartnershipListItem[]> {
  const grants = await grantsFor(ctx, views);
  return views.map((view) => ({
    view,
    grant: grants.find((g) => g.partner.id === view.provider.id && g.organization.id === view.reseller.id) ?? null,
  }));
}

/** One query for the whole page: grants of the page's providers in the page's resellers. */
async function grantsFor(ctx: UseCaseContext, views: PartnershipView[]): Promise<GrantView[]> {
  if (views.length === 0) return [];
  return listGrantViews(ctx.tx, {
    partnerOrganizationIds: [...new Set(views.map((v) => v.provider.id))],
    organizationIds: [...new Set(views.map((v) => v.reseller.id))],
    liveAt: ctx.clock.now(),
  });
}
