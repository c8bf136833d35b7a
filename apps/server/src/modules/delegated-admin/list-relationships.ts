import type { DelegatedAdminRelationshipListQuery, ListCount } from '@tierlink/contract';
import { decodeCursor, toPage } from '../../platform/cursor.ts';
import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { approvalLapseMs, expiringWindowMs } from './delegated-admin.policy.ts';
import { countRelationships, findRelationshipView, listRelationshipViews, listWaitingFor, stateAt, type RelationshipView } from './relationships.queries.ts';

/** The caller's relationships (as partner, customer or consenting reseller), newest first. */
export async function listRelationships(
  ctx: UseCaseContext,
  query: DelegatedAdminRelationshipListQuery,
): Promise<{ items: RelationshipView[]; nextCursor: string | null; count: ListCount | null }> {
  const now = ctx.clock.now();
  const cursor = decodeCursor(query.cursor, 2);
  const filter = {
    state: query.state === undefined ? undefined : stateAt(query.state, now, new Date(now.getTime() + expiringWindowMs), new Date(now.getTime() - approvalLapseMs)),
    organizationId: query.organizationId,
  };
  const rows = await listRelationshipViews(ctx.tx, ctx.actor.organizationId, {
    ...filter,
    limit: query.limit,
    after: cursor === null ? null : [String(cursor[0]), String(cursor[1])],
  });
  const page = toPage(rows, query.limit, (v) => [v.row.createdAt.toISOString(), v.row.id]);
  const count = query.count === 'true' ? await countRelationships(ctx.tx, ctx.actor.organizationId, filter) : null;
  return { ...page, count };
}

/** One relationship the caller may see (404 otherwise). Reading it changes nothing. */
export async function getRelationship(ctx: UseCaseContext, id: string): Promise<RelationshipView> {
  const view = await findRelationshipView(ctx.tx, id, ctx.actor.organizationId);
  if (view === undefined) throw notFound('delegated admin relationship');
  return view;
}

/** What waits for the caller's organization: approvals and amendments (customer), consents (reseller). */
export async function listPendingRequests(ctx: UseCaseContext): Promise<{ kind: 'approval' | 'amendment' | 'consent'; view: RelationshipView }[]> {
  const me = ctx.actor.organizationId;
  const views = await listWaitingFor(ctx.tx, me, new Date(ctx.clock.now().getTime() - approvalLapseMs));
  return views.map((view) => ({
    kind: view.row.resellerOrganizationId === me && view.row.organizationId !== me ? 'consent' : view.row.state === 'active' ? 'amendment' : 'approval',
    view,
  }));
}
