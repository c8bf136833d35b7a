import { unusedAccessDays } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findOrganization, type OrganizationRow } from '../identity/index.ts';
import type { RequestReach } from './create-relationship.ts';
import type { OrganizationRef } from './delegated-admin.queries.ts';
import { endOf } from './delegated-admin.policy.ts';
import { liveRelationshipViews, type RelationshipView } from './relationships.queries.ts';

export interface ActionThrough {
  id: string;
  onBehalfOfId: string;
  occurredAt: Date;
  action: string;
  actorDisplayName: string | null;
}

/** The audit log's latest actions through each relationship: wired by the app from the audit module. */
export type ActionsThrough = (db: Executor, relationshipIds: readonly string[], limit: number) => Promise<ActionThrough[]>;

export interface TracedPath {
  view: RelationshipView;
  lastActions: ActionThrough[];
  unused: boolean;
}

export interface AccessTraceResult {
  partner: OrganizationRef;
  customer: OrganizationRef;
  paths: TracedPath[];
}

const refOf = (o: OrganizationRow): OrganizationRef => ({ id: o.id, name: o.name, domain: o.domain, country: o.country });

/**
 * Every relationship in force through which `partnerId`'s admin agents act in `customerId`, each
 * with the latest actions done through it; unused for 90 days is flagged. The pair must be related
 * (reseller of record, or a relationship in force), else 404: neither side learns of strangers.
 */
export async function traceAccess(
  ctx: UseCaseContext,
  pair: { partnerId: string; customerId: string },
  deps: { reach: RequestReach; actionsThrough: ActionsThrough },
): Promise<AccessTraceResult> {
  const now = ctx.clock.now();
  const views = await liveRelationshipViews(ctx.tx, pair.partnerId, pair.customerId, now);
  if (views.length === 0 && !(await deps.reach.servesCustomer(ctx.tx, pair.partnerId, pair.customerId))) {
    throw notFound(ctx.actor.organizationId === pair.partnerId ? 'customer' : 'partner');
  }
  const [partner, customer] = [await findOrganization(ctx.tx, pair.partnerId), await findOrganization(ctx.tx, pair.customerId)];
  if (partner === undefined || customer === undefined) throw notFound();
  const actions = await deps.actionsThrough(ctx.tx, views.map((v) => v.row.id), 5);
  const paths = views.map((view) => {
    const lastActions = actions.filter((a) => a.onBehalfOfId === view.row.id);
    const since = lastActions[0]?.occurredAt ?? view.row.startsAt ?? view.row.createdAt;
    return { view, lastActions, unused: endOf(since, unusedAccessDays).getTime() <= now.getTime() };
  });
  return { partner: refOf(partner), customer: refOf(customer), paths };
}
