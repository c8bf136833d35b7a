import { decodeCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listGrantViews, type GrantView } from '../delegated-admin/index.ts';
import { listActivePartnerships, type PartnershipView } from './partnerships.repository.ts';

export interface PartnershipListItem {
  view: PartnershipView;
  /** The provider's live delegated admin grant in the reseller's own organization. */
  grant: GrantView | null;
}

/**
 * The caller's indirect providers (`side: 'reseller'`, the caller is the reseller) or indirect
 * resellers (`side: 'provider'`).
 */
export async function listPartnerships(
  ctx: UseCaseContext,
  side: 'provider' | 'reseller',
  query: { limit: number; cursor?: string; name?: string },
): Promise<{ items: PartnershipListItem[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listActivePartnerships(ctx.tx, side, ctx.actor.organizationId, { ...query, after });
  const other = (v: PartnershipView) => (side === 'provider' ? v.reseller : v.provider);
  const page = toPage(rows, query.limit, (v) => [other(v).name.toLowerCase(), other(v).id]);
  const grants = await grantsFor(ctx, page.items);
  return {
    items: page.items.map((view) => ({
      view,
      grant: grants.find((g) => g.partner.id === view.provider.id && g.organization.id === view.reseller.id) ?? null,
    })),
    nextCursor: page.nextCursor,
  };
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
