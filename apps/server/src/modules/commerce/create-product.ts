import type { z } from 'zod';
import type { CreateProductBody } from '@tierlink/contract';
import { newId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { insertProduct, insertSkus, type ProductRow, type SkuRow } from './commerce.repository.ts';

export async function createProduct(ctx: UseCaseContext, input: z.infer<typeof CreateProductBody>): Promise<{ product: ProductRow; skus: SkuRow[] }> {
  const now = ctx.clock.now();
  const product = await insertProduct(ctx.tx, { id: newId(), name: input.name, description: input.description, createdAt: now });
  const rows = await insertSkus(
    ctx.tx,
    input.skus.map((s) => ({
      id: newId(),
      productId: product.id,
      name: s.name,
      currency: s.currency,
      monthlyPrice: s.prices.monthly,
      annualPrice: s.prices.annual,
      minQuantity: s.minQuantity,
      maxQuantity: s.maxQuantity,
      createdAt: now,
    })),
  );
  await ctx.audit.record({
    action: 'product.created',
    target: { type: 'product', id: product.id },
    organizationIds: [ctx.actor.organizationId],
    after: { name: product.name, skus: rows.map((s) => ({ id: s.id, name: s.name, monthly: s.monthlyPrice, annual: s.annualPrice })) },
  });
  return { product, skus: rows };
}
