import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findActivePartnership } from '../partnerships/index.ts';
import { creditView, type CreditView } from './commerce.queries.ts';

export type { CreditView };

/** Both sides of a partnership read its credit line: `side` is the caller's. */
export async function getCredit(ctx: UseCaseContext, side: 'provider' | 'reseller', otherId: string): Promise<CreditView> {
  const me = ctx.actor.organizationId;
  const [providerId, resellerId] = side === 'provider' ? [me, otherId] : [otherId, me];
  if ((await findActivePartnership(ctx.tx, providerId, resellerId)) === undefined) {
    throw notFound(side === 'provider' ? 'indirect reseller' : 'indirect provider');
  }
  const view = await creditView(ctx.tx, providerId, resellerId, ctx.clock.now());
  if (view === null) throw notFound('organization');
  return view;
}
