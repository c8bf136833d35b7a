import { decodeCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listGrantViews, type GrantView, type OrganizationRef } from '../delegated-admin/index.ts';
import { activeRelationshipsOfCustomer, listPartnersOfCustomer, type RelationshipView } from './customers.repository.ts';

export interface CustomerPartnerItem {
  organization: OrganizationRef;
  relationship: RelationshipView | null;
  grants: GrantView[];
}

/**
 * The customer admin's view: every partner with a relationship or admin access in the own
 * organization, with all grants it ever held there (so ended ones stay explainable).
 */
export async function listCustomerPartners(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string; name?: string },
): Promise<{ items: CustomerPartnerItem[]; nextCursor: string | null }> {
  const me = ctx.actor.organizationId;
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listPartnersOfCustomer(ctx.tx, me, ctx.clock.now(), { ...query, after });
  const result = toPage(rows, query.limit, (o) => [o.name.toLowerCase(), o.id]);
  const ids = result.items.map((o) => o.id);
  const relationships = await activeRelationshipsOfCustomer(ctx.tx, me, ids);
  const grants = ids.length === 0 ? [] : await listGrantViews(ctx.tx, { organizationId: me, partnerOrganizationIds: ids });
  return {
    items: result.items.map((organization) => ({
      organization,
      relationship: relationships.find((r) => r.partner.id === organization.id) ?? null,
      grants: grants.filter((g) => g.partner.id === organization.id),
    })),
    nextCursor: result.nextCursor,
  };
}
