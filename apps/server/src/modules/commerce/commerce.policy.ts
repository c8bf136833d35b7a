import type { Actor } from '../../platform/actor.ts';
import { AppError, notFound } from '../../platform/errors.ts';

/** What the use case loaded about the parties of an order. */
export interface OrderFacts {
  /** The actor's own active relationship with the customer. */
  actorRelated: boolean;
  /** The named other party (provider or reseller) is partnered with the actor. */
  partnered: boolean;
  /** The named other party has its own active relationship with the customer. */
  otherRelated: boolean;
}

export interface OrderParties {
  providerId: string;
  resellerId: string | null;
  /** The reseller orders through its provider: its credit line applies. */
  drawsCredit: boolean;
}

/**
 * DESIGN §3 item 10: a provider orders only for customers it has its own relationship with, and
 * names a reseller of record only with an active partnership and the reseller's own relationship;
 * a reseller orders through one of its providers under the same two conditions.
 */
export function orderParties(actor: Actor, input: { resellerId?: string | undefined; providerId?: string | undefined }, facts: OrderFacts): OrderParties {
  if (!facts.actorRelated) throw notFound('customer');
  const isProvider = actor.approvedPrograms.includes('indirect_provider');
  const isReseller = actor.approvedPrograms.includes('indirect_reseller');
  if (input.providerId !== undefined) {
    if (!isReseller) throw new AppError('forbidden', 'Only an indirect reseller orders through a provider.', 'providerId');
    if (!facts.partnered) throw notFound('indirect provider');
    if (!facts.otherRelated) {
      throw new AppError('relationship_not_active', 'The provider needs its own reseller relationship with this customer to order.', 'providerId');
    }
    return { providerId: input.providerId, resellerId: actor.organizationId, drawsCredit: true };
  }
  if (!isProvider) {
    throw new AppError('partner_of_record_required', 'An indirect reseller orders through one of its providers: name it in providerId.', 'providerId');
  }
  if (input.resellerId !== undefined) {
    if (!facts.partnered) throw notFound('indirect reseller');
    if (!facts.otherRelated) {
      throw new AppError('relationship_not_active', 'The reseller of record needs its own relationship with this customer.', 'resellerId');
    }
    return { providerId: actor.organizationId, resellerId: input.resellerId, drawsCredit: false };
  }
  return { providerId: actor.organizationId, resellerId: null, drawsCredit: false };
}

/** Who may read or change a subscription: its provider or its reseller of record. */
export function isSubscriptionParty(actor: Actor, subscription: { providerOrganizationId: string; resellerOrganizationId: string | null }): boolean {
  return subscription.providerOrganizationId === actor.organizationId || subscription.resellerOrganizationId === actor.organizationId;
}

/** The billing period credit exposure is counted in: the current calendar month, UTC. */
export function periodStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/**
 * A credit line's exposure in the period starting at `start`, from its running counter: the
 * counter when it is of that period, else 0 (no order of the pair landed in it yet).
 */
export function currentExposure(line: { exposurePeriod: Date | null; exposureAmount: number }, start: Date): number {
  return line.exposurePeriod !== null && line.exposurePeriod.getTime() === start.getTime() ? line.exposureAmount : 0;
}
