import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findActivePartnership } from '../partnerships/index.ts';
import { periodStart } from './commerce.policy.ts';
import { findCredit, upsertCredit, type CreditRow } from './commerce.repository.ts';

/** A provider sets the credit limit of one of its own resellers. */
export async function setCreditLimit(ctx: UseCaseContext, resellerId: string, input: { limit: number; currency: string }): Promise<CreditRow> {
  const providerId = ctx.actor.organizationId;
  if ((await findActivePartnership(ctx.tx, providerId, resellerId)) === undefined) throw notFound('indirect reseller');
  const before = await findCredit(ctx.tx, providerId, resellerId);
  const saved = await upsertCredit(ctx.tx, {
    id: before?.id ?? newId(),
    providerOrganizationId: providerId,
    resellerOrganizationId: resellerId,
    limitAmount: input.limit,
    currency: input.currency,
    updatedAt: ctx.clock.now(),
  }, periodStart(ctx.clock.now()));
  await ctx.audit.record({
    action: 'credit_terms.set',
    target: { type: 'credit_terms', id: saved.id },
    organizationIds: [providerId, resellerId],
    before: before === undefined ? null : { limit: before.limitAmount, currency: before.currency },
    after: { limit: saved.limitAmount, currency: saved.currency },
  });
  return saved;
}
