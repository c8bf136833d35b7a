import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findOrganization } from '../identity/index.ts';
import { findActivePartnership } from '../partnerships/index.ts';
import { periodStart } from './commerce.policy.ts';
import { exposure, findCredit } from './commerce.repository.ts';

export interface CreditView {
  provider: { id: string; name: string; domain: string; country: string };
  reseller: { id: string; name: string; domain: string; country: string };
  limit: number | null;
  currency: string | null;
  exposure: number;
  available: number;
  periodStart: Date;
}

/** Both sides of a partnership read its credit line: `side` is the caller's. */
export async function getCredit(ctx: UseCaseContext, side: 'provider' | 'reseller', otherId: string): Promise<CreditView> {
  const me = ctx.actor.organizationId;
  const [providerId, resellerId] = side === 'provider' ? [me, otherId] : [otherId, me];
  if ((await findActivePartnership(ctx.tx, providerId, resellerId)) === undefined) {
    throw notFound(side === 'provider' ? 'indirect reseller' : 'indirect provider');
  }
  const [provider, reseller] = await Promise.all([findOrganization(ctx.tx, providerId), findOrganization(ctx.tx, resellerId)]);
  if (provider === undefined || reseller === undefined) throw notFound('organization');
  const credit = await findCredit(ctx.tx, providerId, resellerId);
  const start = periodStart(ctx.clock.now());
  const used = await exposure(ctx.tx, providerId, resellerId, start);
  const ref = (o: typeof provider) => ({ id: o.id, name: o.name, domain: o.domain, country: o.country });
  return {
    provider: ref(provider),
    reseller: ref(reseller),
    limit: credit?.limitAmount ?? null,
    currency: credit?.currency ?? null,
    exposure: used,
    available: Math.max((credit?.limitAmount ?? 0) - used, 0),
    periodStart: start,
  };
}
