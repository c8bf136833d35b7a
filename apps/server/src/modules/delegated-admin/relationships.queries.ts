import { and, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/database.ts';
import { delegatedAdminAmendments, delegatedAdminGrants, organizations } from '../../db/schema.ts';
import { countCap, type DelegatedAdminRelationship, type ListCount, type RelationshipState } from '@tierlink/contract';
import { beforeTime, countUpTo } from '../../platform/cursor.ts';
import type { GrantRow, OrganizationRef } from './delegated-admin.queries.ts';
import { presentRelationship } from './delegated-admin.presenter.ts';

// Public reads of delegated admin relationships (the native API's view of the grants table).

export type AmendmentRow = typeof delegatedAdminAmendments.$inferSelect;
export interface RelationshipView {
  row: GrantRow;
  partner: OrganizationRef;
  customer: OrganizationRef;
  reseller: OrganizationRef | null;
  pendingAmendment: AmendmentRow | null;
}

const partnerOrg = alias(organizations, 'rel_partner_org');
const customerOrg = alias(organizations, 'rel_customer_org');
const resellerOrg = alias(organizations, 'rel_reseller_org');

/**
 * Which relationships an organization sees: its own as partner; as customer, those it has been
 * asked about (not `created`, and — three-party — only once the reseller consented); as the named
 * reseller, those waiting for or past its consent. Everything else answers 404.
 */
export function visibleTo(organizationId: string): SQL | undefined {
  const g = delegatedAdminGrants;
  return or(
    eq(g.partnerOrganizationId, organizationId),
    and(eq(g.organizationId, organizationId), ne(g.state, 'created'), or(isNull(g.resellerOrganizationId), sql`${g.resellerConsentedAt} is not null`)),
    and(eq(g.resellerOrganizationId, organizationId), ne(g.state, 'created')),
  );
}

async function selectViews(db: Executor, where: SQL | undefined, limit?: number): Promise<RelationshipView[]> {
  const g = delegatedAdminGrants;
  const query = db
    .select({
      row: g,
      partner: { id: partnerOrg.id, name: partnerOrg.name, domain: partnerOrg.domain, country: partnerOrg.country },
      customer: { id: customerOrg.id, name: customerOrg.name, domain: customerOrg.domain, country: customerOrg.country },
      reseller: { id: resellerOrg.id, name: resellerOrg.name, domain: resellerOrg.domain, country: resellerOrg.country },
    })
    .from(g)
    .innerJoin(partnerOrg, eq(partnerOrg.id, g.partnerOrganizationId))
    .innerJoin(customerOrg, eq(customerOrg.id, g.organizationId))
    .leftJoin(resellerOrg, eq(resellerOrg.id, g.resellerOrganizationId))
    .where(where)
    .orderBy(desc(g.createdAt), desc(g.id));
  const rows = await (limit === undefined ? query : query.limit(limit));
  const ids = rows.map((r) => r.row.id);
  const pending =
    ids.length === 0
      ? []
      : await db
          .select()
          .from(delegatedAdminAmendments)
          .where(and(inArray(delegatedAdminAmendments.relationshipId, ids), eq(delegatedAdminAmendments.state, 'pending')));
  return rows.map((r) => ({
    row: r.row,
    partner: r.partner,
    customer: r.customer,
    reseller: r.reseller?.id == null ? null : { id: r.reseller.id, name: r.reseller.name ?? '', domain: r.reseller.domain ?? '', country: r.reseller.country ?? '' },
    pendingAmendment: pending.find((a) => a.relationshipId === r.row.id) ?? null,
  }));
}

/** The relationship as `viewerId` may see it; undefined when it may not (or there is none). */
export async function findRelationshipView(db: Executor, id: string, viewerId?: string): Promise<RelationshipView | undefined> {
  const [view] = await selectViews(db, and(eq(delegatedAdminGrants.id, id), viewerId === undefined ? undefined : visibleTo(viewerId)));
  return view;
}

export interface RelationshipFilter {
  /** `stateAt` of the state asked for. */
  state?: SQL | undefined;
  organizationId?: string | undefined;
}

function listConditions(viewerId: string, filter: RelationshipFilter): SQL | undefined {
  const g = delegatedAdminGrants;
  return and(
    visibleTo(viewerId),
    filter.state,
    filter.organizationId === undefined ? undefined : or(eq(g.organizationId, filter.organizationId), eq(g.partnerOrganizationId, filter.organizationId)),
  );
}

/** A page of what `viewerId` sees, newest first; `after` is the last row's (createdAt, id). */
export async function listRelationshipViews(
  db: Executor,
  viewerId: string,
  filter: RelationshipFilter & { limit: number; after: [string, string] | null },
): Promise<RelationshipView[]> {
  const g = delegatedAdminGrants;
  return selectViews(db, and(listConditions(viewerId, filter), beforeTime(g.createdAt, g.id, filter.after)), filter.limit + 1);
}

export async function countRelationships(db: Executor, viewerId: string, filter: RelationshipFilter): Promise<ListCount> {
  return countUpTo(db, db.select({ one: sql`1` }).from(delegatedAdminGrants).where(listConditions(viewerId, filter)).limit(countCap + 1));
}

/**
 * What waits for `organizationId` at `now`: requests it is to approve (consented when three-party,
 * not lapsed), amendments of its relationships, and requests it is to consent to as reseller.
 */
export async function listWaitingFor(db: Executor, organizationId: string, lapsedBefore: Date): Promise<RelationshipView[]> {
  const g = delegatedAdminGrants;
  const pendingRequest = and(eq(g.state, 'approval_pending'), sql`${g.approvalRequestedAt} > ${lapsedBefore}`);
  return selectViews(
    db,
    or(
      and(eq(g.organizationId, organizationId), pendingRequest, or(isNull(g.resellerOrganizationId), sql`${g.resellerConsentedAt} is not null`)),
      and(eq(g.resellerOrganizationId, organizationId), pendingRequest, isNull(g.resellerConsentedAt)),
      and(
        eq(g.organizationId, organizationId),
        eq(g.state, 'active'),
        sql`exists (select 1 from ${delegatedAdminAmendments} a where a.relationship_id = ${g.id} and a.state = 'pending')`,
      ),
    ),
    500,
  );
}

/** Rows whose state as of `now` is `state` (the same derivation as the policy's `effectiveState`). */
export function stateAt(state: RelationshipState, now: Date, expiringUntil: Date, lapsedBefore: Date): SQL | undefined {
  const g = delegatedAdminGrants;
  const ended = sql`${g.endsAt} is not null and ${g.endsAt} <= ${now}`;
  const lapsed = sql`${g.approvalRequestedAt} <= ${lapsedBefore}`;
  switch (state) {
    case 'active':
      return and(eq(g.state, 'active'), sql`(${g.endsAt} is null or ${g.endsAt} > ${expiringUntil})`);
    case 'expiring':
      return and(eq(g.state, 'active'), sql`${g.endsAt} > ${now} and ${g.endsAt} <= ${expiringUntil}`);
    case 'expired':
      return or(eq(g.state, 'expired'), and(eq(g.state, 'active'), ended));
    case 'approval_pending':
      return and(eq(g.state, 'approval_pending'), sql`not (${lapsed})`);
    case 'lapsed':
      return or(eq(g.state, 'lapsed'), and(eq(g.state, 'approval_pending'), lapsed));
    default:
      return eq(g.state, state);
  }
}

/** The relationship as the API presents it now, for an event about it (null when it is gone). */
export async function presentDelegatedRelationshipById(db: Executor, id: string, now: Date, publicUrl: string): Promise<DelegatedAdminRelationship | null> {
  const view = await findRelationshipView(db, id);
  return view === undefined ? null : presentRelationship(view, now, publicUrl);
}

/** The relationships in force at `now` through which `partnerId` acts in `customerId`, oldest first. */
export async function liveRelationshipViews(db: Executor, partnerId: string, customerId: string, now: Date): Promise<RelationshipView[]> {
  const g = delegatedAdminGrants;
  const views = await selectViews(
    db,
    and(eq(g.partnerOrganizationId, partnerId), eq(g.organizationId, customerId), eq(g.state, 'active'), sql`(${g.endsAt} is null or ${g.endsAt} > ${now})`),
  );
  return views.reverse();
}
