import { decodeCursor, toPage } from '../../platform/cursor.ts';
import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listLiveGrantsOfPartner, type GrantView } from '../delegated-admin/index.ts';
import { findActivePartnership } from '../partnerships/index.ts';
import { listCustomerPage, listCustomerViews, type RelationshipView } from './customers.repository.ts';

export interface CustomerPage {
  items: RelationshipView[];
  grants: GrantView[];
  nextCursor: string | null;
}

interface ListQuery {
  limit: number;
  cursor?: string;
  name?: string;
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
  if ((await findActivePartnership(ctx.tx, providerId, ctx.actor.organizationId)) === undefined) {
    throw notFound('indirect provider');
  }
  return page(ctx, query, providerId);
}

async function page(ctx: UseCaseContext, query: ListQuery, sharedWith: string | undefined): Promise<CustomerPage> {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const unfiltered = query.name === undefined && sharedWith === undefined;
  const rows = unfiltered
    ? await listCustomerPage(ctx.tx, ctx.actor.organizationId, { limit: query.limit, after })
    : await listCustomerViews(ctx.tx, ctx.actor.organizationId, { ...query, after, sharedWith });
  // The key the rows were sorted by, as the database computed it (lower() and JS case mapping differ outside ASCII).
  const result = toPage(rows, query.limit, (v) => [v.relationship.customerSortName, v.relationship.customerOrganizationId]);
  const grants =
    result.items.length === 0
      ? []
      : await listLiveGrantsOfPartner(
          ctx.tx,
          ctx.actor.organizationId,
          result.items.map((v) => v.customer.id),
          ctx.clock.now(),
        );
  return { items: result.items, grants, nextCursor: result.nextCursor };
}
