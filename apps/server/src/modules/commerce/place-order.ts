import { createHash } from 'node:crypto';
import type { PlaceOrderBody } from '@tierlink/contract';
import { hours } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { hasActiveRelationship } from '../customers/index.ts';
import { findActivePartnership } from '../partnerships/index.ts';
import { orderParties, periodStart } from './commerce.policy.ts';
import {
  claimIdempotencyKey,
  exposure,
  findOrderView,
  findSkus,
  growSubscription,
  insertOrder,
  insertOrderLines,
  lockCredit,
  lockIdempotencyKey,
  recordIdempotentOrder,
  resetIdempotencyKey,
  type OrderView,
} from './commerce.repository.ts';

/** How long an Idempotency-Key replays its order. */
export const idempotencyWindowMs = hours(24);

/**
 * Places an order for a customer and completes it in the same transaction: priced from the catalog,
 * checked against the reseller's credit line, growing the customer's subscriptions. The idempotency
 * key is claimed in the same transaction: a concurrent duplicate waits on it and then replays.
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
  if (!(await claimIdempotencyKey(ctx.tx, { organizationId: me, key: idempotencyKey, requestHash, createdAt: now }))) {
    const held = await lockIdempotencyKey(ctx.tx, me, idempotencyKey);
    if (held === undefined) throw new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still running; retry.');
    if (now.getTime() - held.createdAt.getTime() >= idempotencyWindowMs) {
      await resetIdempotencyKey(ctx.tx, me, idempotencyKey, requestHash, now);
    } else if (held.requestHash !== requestHash) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with another request.');
    } else if (held.orderId === null) {
      throw new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still running; retry.');
    } else {
      const order = await findOrderView(ctx.tx, held.orderId);
      if (order === undefined) throw notFound('order');
      return { order, replayed: true };
    }
  }

  const other = input.providerId ?? input.resellerId;
  const [providerId, resellerId] = input.providerId !== undefined ? [input.providerId, me] : [me, input.resellerId];
  const parties = orderParties(ctx.actor, input, {
    actorRelated: await hasActiveRelationship(ctx.tx, me, customerId),
    partnered: resellerId === undefined ? false : (await findActivePartnership(ctx.tx, providerId, resellerId)) !== undefined,
    otherRelated: other === undefined ? false : await hasActiveRelationship(ctx.tx, other, customerId),
  });

  const catalog = await findSkus(ctx.tx, [...new Set(input.lines.map((l) => l.skuId))]);
  const priced = input.lines.map((line, index) => {
    const sku = catalog.find((s) => s.id === line.skuId);
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

  if (parties.drawsCredit && parties.resellerId !== null) {
    const credit = await lockCredit(ctx.tx, parties.providerId, parties.resellerId);
    if (credit === undefined) {
      throw new AppError('credit_limit_exceeded', 'Your provider has not set credit terms for you yet.');
    }
    if (credit.currency !== currency) {
      throw new AppError('currency_mismatch', `Your credit line with this provider is in ${credit.currency}.`, 'lines');
    }
    const used = await exposure(ctx.tx, parties.providerId, parties.resellerId, periodStart(now));
    if (used + total > credit.limitAmount) {
      throw new AppError('credit_limit_exceeded', `The order (${total}) exceeds the credit available (${credit.limitAmount - used} ${currency}).`);
    }
  }

  const order = await insertOrder(ctx.tx, {
    id: newId(),
    organizationId: customerId,
    providerOrganizationId: parties.providerId,
    resellerOrganizationId: parties.resellerId,
    placedByOrganizationId: me,
    placedByUserId: ctx.actor.userId,
    placedByApiKeyId: ctx.actor.apiKeyId,
    state: 'completed',
    currency,
    totalAmount: total,
    createdAt: now,
  });
  const lines = [];
  for (const p of priced) {
    const subscription = await growSubscription(ctx.tx, {
      id: newId(),
      organizationId: customerId,
      providerId: parties.providerId,
      resellerId: parties.resellerId,
      skuId: p.sku.id,
      billingCycle: p.line.billingCycle,
      quantity: p.line.quantity,
      now,
    });
    if (subscription.quantity < p.sku.minQuantity || subscription.quantity > p.sku.maxQuantity) {
      throw new AppError(
        'quantity_out_of_range',
        `${p.sku.name} is sold in quantities of ${p.sku.minQuantity} to ${p.sku.maxQuantity}; this order would make ${subscription.quantity}.`,
        `lines.${p.index}.quantity`,
      );
    }
    lines.push({ id: newId(), orderId: order.id, skuId: p.sku.id, quantity: p.line.quantity, billingCycle: p.line.billingCycle, unitPrice: p.unitPrice, amount: p.amount, subscriptionId: subscription.id });
  }
  await insertOrderLines(ctx.tx, lines);
  await recordIdempotentOrder(ctx.tx, me, idempotencyKey, order.id);
  const concerned = [customerId, parties.providerId, ...(parties.resellerId === null ? [] : [parties.resellerId])];
  await ctx.audit.record({
    action: 'order.completed',
    target: { type: 'order', id: order.id },
    organizationIds: concerned,
    after: { total, currency, lines: lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity, billingCycle: l.billingCycle, subscriptionId: l.subscriptionId })) },
  });
  await ctx.outbox.event('order.completed', { orderId: order.id, customerId, providerId: parties.providerId, resellerId: parties.resellerId, total, currency });
  const view = await findOrderView(ctx.tx, order.id);
  if (view === undefined) throw notFound('order');
  return { order: view, replayed: false };
}
