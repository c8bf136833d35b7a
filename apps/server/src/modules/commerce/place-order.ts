import { createHash } from 'node:crypto';
import type { PlaceOrderBody } from '@tierlink/contract';
import { hours } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { orderParties, periodStart } from './commerce.policy.ts';
import {
  findOrderView,
  loadOrderFacts,
  lockIdempotencyKey,
  resetIdempotencyKey,
  writeOrder,
  type GrowthRow,
  type OrderFactsQuery,
  type OrderLineRow,
  type OrderView,
} from './commerce.repository.ts';

/** How long an Idempotency-Key replays its order. */
export const idempotencyWindowMs = hours(24);

/**
 * Places an order for a customer and completes it in the same transaction: priced from the catalog,
 * checked against the reseller's credit line, growing the customer's subscriptions. The idempotency
 * key is claimed in the same transaction, with the id the order will get (written once): a
 * concurrent duplicate waits on it and then replays. Round trips are its cost, so it runs three
 * statements besides BEGIN and COMMIT, whatever the number of lines: the claim with the facts and
 * the order added to its credit line's running exposure (the line's lock), the writes, then the unit
 * of work's audit and outbox rows. A refused order rolls back the claim and the exposure with it.
 */
export async function placeOrder(
  ctx: UseCaseContext,
  customerId: string,
  input: PlaceOrderBody,
  idempotencyKey: string,
): Promise<{ order: OrderView; replayed: boolean }> {
  const me = ctx.actor.organizationId;
  const now = ctx.clock.now();
  const requestHash = createHash('sha256').update(JSON.stringify({ customerId, input })).digest('hex');
  const other = input.providerId ?? input.resellerId ?? null;
  const [providerId, resellerId] = input.providerId !== undefined ? [input.providerId, me] : [me, input.resellerId ?? null];
  const query: OrderFactsQuery = {
    actorId: me,
    customerId,
    providerId,
    resellerId,
    otherId: other,
    skuIds: [...new Set(input.lines.map((l) => l.skuId))],
    lines: input.lines,
    // Only a reseller ordering through its provider draws credit (see `orderParties`), but every
    // order naming a reseller adds to the line's running exposure: locked first either way, so
    // orders of one pair take the line's lock before any subscription's (no deadlock between them).
    credit: resellerId === null ? null : { providerId, resellerId, period: periodStart(now) },
  };
  // Made before the claim, so the key is written once, with its order.
  const orderId = newTimeOrderedId();
  let facts = await loadOrderFacts(ctx.tx, { ...query, claim: { organizationId: me, key: idempotencyKey, requestHash, orderId, createdAt: now } });
  if (!facts.claimed) {
    const held = await lockIdempotencyKey(ctx.tx, me, idempotencyKey);
    if (held === undefined) throw new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still running; retry.');
    if (now.getTime() - held.createdAt.getTime() >= idempotencyWindowMs) {
      await resetIdempotencyKey(ctx.tx, me, idempotencyKey, requestHash, now, orderId);
      // The key is ours now: load (and lock) again.
      facts = await loadOrderFacts(ctx.tx, query);
    } else if (held.requestHash !== requestHash) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with another request.');
    } else if (held.orderId === null) {
      // Not committed so (a key is claimed with its order's id): the safe answer if it ever were.
      throw new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still running; retry.');
    } else {
      const order = await findOrderView(ctx.tx, held.orderId);
      if (order === undefined) throw notFound('order');
      return { order, replayed: true };
    }
  }

  const parties = orderParties(ctx.actor, input, { actorRelated: facts.actorRelated, partnered: facts.partnered, otherRelated: facts.otherRelated });

  const priced = input.lines.map((line, index) => {
    const sku = facts.skus.find((s) => s.id === line.skuId);
    if (sku === undefined) throw new AppError('validation_failed', 'No such SKU in the catalog.', `lines.${index}.skuId`);
    const unitPrice = line.billingCycle === 'monthly' ? sku.monthlyPrice : sku.annualPrice;
    if (unitPrice === null) {
      throw new AppError('billing_cycle_unavailable', `${sku.name} is not sold on the ${line.billingCycle} cycle.`, `lines.${index}.billingCycle`);
    }
    return { line, sku, unitPrice, amount: unitPrice * line.quantity, index };
  });
  const currencies = new Set(priced.map((p) => p.sku.currency));
  const [currency] = currencies;
  if (currency === undefined || currencies.size > 1) throw new AppError('currency_mismatch', 'All lines of an order must be in one currency.', 'lines');
  const total = priced.reduce((sum, p) => sum + p.amount, 0);
  // The line's counter grew by what the facts statement priced: it must be this order's total.
  if (facts.credit !== null && facts.credit.amount !== total) throw new Error('the credit line was raised by another amount than the order\'s total');

  if (parties.drawsCredit && parties.resellerId !== null) {
    if (facts.credit === null) {
      throw new AppError('credit_limit_exceeded', 'Your provider has not set credit terms for you yet.');
    }
    if (facts.credit.currency !== currency) {
      throw new AppError('currency_mismatch', `Your credit line with this provider is in ${facts.credit.currency}.`, 'lines');
    }
    const { used, limitAmount } = facts.credit;
    if (used + total > limitAmount) {
      throw new AppError('credit_limit_exceeded', `The order (${total}) exceeds the credit available (${limitAmount - used} ${currency}).`);
    }
  }

  // Lines of one SKU and cycle grow one subscription: one upsert row with their sum.
  const growth = new Map<string, GrowthRow>();
  for (const p of priced) {
    const key = `${p.sku.id}/${p.line.billingCycle}`;
    const grown = growth.get(key);
    if (grown === undefined) growth.set(key, { id: newTimeOrderedId(), skuId: p.sku.id, billingCycle: p.line.billingCycle, quantity: p.line.quantity, lines: 1 });
    else growth.set(key, { ...grown, quantity: grown.quantity + p.line.quantity, lines: grown.lines + 1 });
  }
  const order = {
    id: orderId,
    organizationId: customerId,
    providerOrganizationId: parties.providerId,
    resellerOrganizationId: parties.resellerId,
    placedByOrganizationId: me,
    placedByUserId: ctx.actor.userId,
    placedByApiKeyId: ctx.actor.apiKeyId,
    state: 'completed' as const,
    currency,
    totalAmount: total,
    createdAt: now,
  };
  const unlinked = priced.map((p) => ({ id: newTimeOrderedId(), skuId: p.sku.id, quantity: p.line.quantity, billingCycle: p.line.billingCycle, unitPrice: p.unitPrice, amount: p.amount }));
  const written = await writeOrder(ctx.tx, {
    order,
    growth: [...growth.values()],
    lines: unlinked,
    now,
  });

  // Seat bounds are checked after the writes (throwing rolls them back): each line against the
  // quantity it brought its subscription to, as if grown line by line.
  const reached = new Map<string, number>();
  for (const s of written.subscriptions) {
    const key = `${s.skuId}/${s.billingCycle}`;
    reached.set(key, s.quantity - (growth.get(key)?.quantity ?? 0));
  }
  const lines: OrderLineRow[] = [];
  for (const [i, p] of priced.entries()) {
    const key = `${p.sku.id}/${p.line.billingCycle}`;
    const subscription = written.subscriptions.find((s) => s.skuId === p.sku.id && s.billingCycle === p.line.billingCycle);
    const quantity = (reached.get(key) ?? 0) + p.line.quantity;
    reached.set(key, quantity);
    if (subscription === undefined) throw new Error('a line\'s subscription was not grown');
    if (quantity < p.sku.minQuantity || quantity > p.sku.maxQuantity) {
      throw new AppError(
        'quantity_out_of_range',
        `${p.sku.name} is sold in quantities of ${p.sku.minQuantity} to ${p.sku.maxQuantity}; this order would make ${quantity}.`,
        `lines.${p.index}.quantity`,
      );
    }
    const line = unlinked[i];
    if (line === undefined) throw new Error('line out of step');
    lines.push({ ...line, orderId, subscriptionId: subscription.id });
  }

  const concerned = [customerId, parties.providerId, ...(parties.resellerId === null ? [] : [parties.resellerId])];
  await ctx.audit.record({
    action: 'order.completed',
    target: { type: 'order', id: orderId },
    organizationIds: concerned,
    after: { total, currency, lines: lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity, billingCycle: l.billingCycle, subscriptionId: l.subscriptionId })) },
  });
  // A subscription this order created kept the id it was offered (a grown one keeps its own).
  const offered = new Set([...growth.values()].map((g) => g.id));
  for (const s of written.subscriptions.filter((w) => offered.has(w.id))) {
    await ctx.audit.record({
      action: 'subscription.created',
      target: { type: 'subscription', id: s.id },
      organizationIds: concerned,
      after: { skuId: s.skuId, billingCycle: s.billingCycle, quantity: s.quantity, orderId },
    });
  }
  // The view from what was written: the same rows findOrderView would read back.
  const organization = (id: string | null) => facts.organizations.find((o) => o.id === id);
  const customer = organization(customerId);
  const provider = organization(parties.providerId);
  if (customer === undefined || provider === undefined) throw notFound('order');
  return { order: { order, customer, provider, reseller: organization(parties.resellerId) ?? null, lines }, replayed: false };
}
