import type { z } from 'zod';
import type { UpdateSkuBody } from '@tierlink/contract';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { lockSku, updateSkuRow, type SkuRow } from './commerce.repository.ts';

/** Price and bound changes apply to future orders; existing subscriptions keep their seats. */
export async function updateSku(ctx: UseCaseContext, id: string, input: z.infer<typeof UpdateSkuBody>): Promise<SkuRow> {
  const sku = await lockSku(ctx.tx, id);
  if (sku === undefined) throw notFound('SKU');
  const next = {
    name: input.name ?? sku.name,
    monthlyPrice: input.prices?.monthly === undefined ? sku.monthlyPrice : input.prices.monthly,
    annualPrice: input.prices?.annual === undefined ? sku.annualPrice : input.prices.annual,
    minQuantity: input.minQuantity ?? sku.minQuantity,
    maxQuantity: input.maxQuantity ?? sku.maxQuantity,
  };
  if (next.maxQuantity < next.minQuantity) throw new AppError('validation_failed', 'maxQuantity must be at least minQuantity.', 'maxQuantity');
  if (next.monthlyPrice === null && next.annualPrice === null) {
    throw new AppError('validation_failed', 'A SKU needs a price for at least one billing cycle.', 'prices');
  }
  const updated = await updateSkuRow(ctx.tx, id, next);
  await ctx.audit.record({
    action: 'sku.updated',
    target: { type: 'sku', id },
    organizationIds: [ctx.actor.organizationId],
    before: { name: sku.name, monthly: sku.monthlyPrice, annual: sku.annualPrice, min: sku.minQuantity, max: sku.maxQuantity },
    after: { name: updated.name, monthly: updated.monthlyPrice, annual: updated.annualPrice, min: updated.minQuantity, max: updated.maxQuantity },
  });
  return updated;
}
