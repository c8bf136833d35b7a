import type { DelegatedRole } from '@tierlink/contract';
import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { activeSubscriptionsOfRecord, creditLineOf, type SubscriptionOfRecord } from '../commerce/index.ts';
import { activeRelationshipWith, hasActiveRelationship, sharedCustomersOf } from '../customers/index.ts';
import { listGrantViews, type GrantView, type OrganizationRef } from '../delegated-admin/index.ts';
import { findOrganization } from '../identity/index.ts';
import { pendingJointInvitations } from '../invitations/index.ts';
import { findActivePartnership } from '../partnerships/index.ts';
import { offer, planEtag, type OffboardingSubject, type Plan, type PlanItem } from './offboarding.policy.ts';

const ref = (o: OrganizationRef): OrganizationRef => ({ id: o.id, name: o.name, domain: o.domain, country: o.country });

function base(kind: PlanItem['kind'], id: string, label: string, version: string): Omit<PlanItem, 'actions' | 'default'> {
  return { kind, id, label, version, organization: null, roles: [], viaReseller: null, customerId: null, currency: null };
}

/** A relationship in force: ending it is offered (and the default) when the caller is one of its two parties. */
function grantItem(view: GrantView, callerIsParty: boolean, viaReseller: OrganizationRef | null): PlanItem {
  const g = view.grant;
  return {
    ...base('delegated_admin', g.id, `${view.partner.name} as delegated admin in ${view.organization.name}`, [
      g.state,
      g.endsAt?.toISOString() ?? '',
      g.roles.join(','),
      (g.updatedAt ?? g.createdAt).toISOString(),
    ].join('|')),
    organization: ref(view.organization),
    // The column holds only the contract's roles (checked on every write).
    roles: g.roles as DelegatedRole[],
    viaReseller,
    ...(callerIsParty ? offer(['end', 'keep'], 'end') : offer(['keep'], 'keep')),
  };
}

/**
 * Subscriptions go on by default (a customer's service is not the partners' quarrel); suspending
 * is offered where the caller may change the subscription (it is of record for the customer).
 */
async function subscriptionItems(ctx: UseCaseContext, rows: SubscriptionOfRecord[]): Promise<PlanItem[]> {
  const related = new Map<string, boolean>();
  const items: PlanItem[] = [];
  for (const s of rows) {
    let mayChange = related.get(s.customer.id);
    if (mayChange === undefined) {
      mayChange = await hasActiveRelationship(ctx.tx, ctx.actor.organizationId, s.customer.id);
      related.set(s.customer.id, mayChange);
    }
    items.push({
      ...base('subscription', s.id, `${s.skuName} × ${s.quantity} for ${s.customer.name}`, String(s.version)),
      organization: ref(s.customer),
      customerId: s.customer.id,
      ...(mayChange ? offer(['keep', 'end'], 'keep') : offer(['keep'], 'keep')),
    });
  }
  return items;
}

/**
 * Everything ending the subject leaves behind, read from the owning modules in the caller's
 * transaction. `lock` takes the partnership's row first, so two offboardings of one pair queue.
 * A partner or customer the caller has no active relationship with is 404.
 */
export async function buildPlan(ctx: UseCaseContext, subject: OffboardingSubject, options: { lock: boolean }): Promise<Plan> {
  return subject.kind === 'partnership' ? partnershipPlan(ctx, subject, options) : customerPlan(ctx, subject.customerId);
}

/** The GET: the plan as of now. */
export async function planOffboarding(ctx: UseCaseContext, subject: OffboardingSubject): Promise<Plan> {
  return buildPlan(ctx, subject, { lock: false });
}

async function partnershipPlan(
  ctx: UseCaseContext,
  subject: Extract<OffboardingSubject, { kind: 'partnership' }>,
  options: { lock: boolean },
): Promise<Plan> {
  const me = ctx.actor.organizationId;
  const asProvider = subject.side === 'provider';
  const [providerId, resellerId] = asProvider ? [me, subject.otherId] : [subject.otherId, me];
  const partnership = await findActivePartnership(ctx.tx, providerId, resellerId, { lock: options.lock });
  const other = partnership === undefined ? undefined : await findOrganization(ctx.tx, subject.otherId);
  if (partnership === undefined || other === undefined) throw notFound(asProvider ? 'indirect reseller' : 'indirect provider');
  const now = ctx.clock.now();
  const items: PlanItem[] = [
    { ...base('partnership', partnership.id, `Partnership with ${other.name}`, partnership.state), organization: ref(other), ...offer(['end'], 'end') },
  ];

  // Joint customers: each partner keeps its own relationship, or the caller leaves the customer to the other alone.
  for (const shared of await sharedCustomersOf(ctx.tx, me, subject.otherId)) {
    items.push({
      ...base('shared_customer', shared.customer.id, shared.customer.name, `${shared.ownRelationshipId}|${shared.otherRelationshipId}`),
      organization: ref(shared.customer),
      ...offer(['keep', 'hand_over'], 'keep'),
    });
  }

  // Admin access between the two organizations, either way: both are parties, so either may end it.
  const between = [
    ...(await listGrantViews(ctx.tx, { partnerOrganizationId: providerId, organizationId: resellerId, liveAt: now })),
    ...(await listGrantViews(ctx.tx, { partnerOrganizationId: resellerId, organizationId: providerId, liveAt: now })),
  ];
  for (const view of between) items.push(grantItem(view, true, null));
  // Three-party access the reseller consented to: the provider ends it; the reseller is no party and may only see it.
  const threeParty = await listGrantViews(ctx.tx, { partnerOrganizationId: providerId, resellerOrganizationId: resellerId, liveAt: now });
  const self = asProvider || threeParty.length === 0 ? undefined : await findOrganization(ctx.tx, me);
  const reseller = self === undefined ? ref(other) : ref(self);
  for (const view of threeParty) items.push(grantItem(view, asProvider, reseller));

  // Joint invitations the reseller sent naming the provider: only their sender revokes them (accepting one fails once the partnership ended).
  for (const invitation of await pendingJointInvitations(ctx.tx, resellerId, providerId, now)) {
    items.push({
      ...base('invitation', invitation.id, `Joint invitation to ${invitation.email}`, `pending|${invitation.expiresAt.toISOString()}`),
      ...(asProvider ? offer(['keep'], 'keep') : offer(['end', 'keep'], 'end')),
    });
  }

  items.push(...(await subscriptionItems(ctx, await activeSubscriptionsOfRecord(ctx.tx, { providerId, resellerId }))));

  // The provider's credit line for the reseller: the provider ends it (limit 0); orders need the partnership anyway.
  const credit = await creditLineOf(ctx.tx, providerId, resellerId);
  if (credit !== undefined) {
    items.push({
      ...base('credit_line', credit.id, `Credit limit ${credit.limitAmount} ${credit.currency}`, `${credit.limitAmount}|${credit.currency}|${credit.updatedAt.toISOString()}`),
      organization: ref(other),
      currency: credit.currency,
      ...(asProvider && credit.limitAmount > 0 ? offer(['end', 'keep'], 'end') : offer(['keep'], 'keep')),
    });
  }
  return { subject: { kind: 'partnership', id: partnership.id, organization: ref(other) }, items, etag: planEtag(partnership.id, items) };
}

async function customerPlan(ctx: UseCaseContext, customerId: string): Promise<Plan> {
  const me = ctx.actor.organizationId;
  const relationship = await activeRelationshipWith(ctx.tx, me, customerId);
  if (relationship === undefined) throw notFound('customer');
  const now = ctx.clock.now();
  const customer = ref(relationship.customer);
  const items: PlanItem[] = [
    {
      ...base('customer_relationship', relationship.relationshipId, `Reseller relationship with ${customer.name}`, 'active'),
      organization: customer,
      ...offer(['end'], 'end'),
    },
  ];
  for (const view of await listGrantViews(ctx.tx, { partnerOrganizationId: me, organizationId: customerId, liveAt: now })) {
    items.push(grantItem(view, true, null));
  }
  items.push(...(await subscriptionItems(ctx, await activeSubscriptionsOfRecord(ctx.tx, { customerId, partnerId: me }))));
  return { subject: { kind: 'customer_relationship', id: relationship.relationshipId, organization: customer }, items, etag: planEtag(relationship.relationshipId, items) };
}
