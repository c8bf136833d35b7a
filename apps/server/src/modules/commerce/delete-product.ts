import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { deleteProductRows, lockProduct, productInUse } from './commerce.repository.ts';

/** Removes a product and its SKUs; one that was ever ordered stays (orders and subscriptions point at it). */
export async function deleteProduct(ctx: UseCaseContext, id: string): Promise<void> {
  const product = await lockProduct(ctx.tx, id);
  if (product === undefined) throw notFound('product');
  if (await productInUse(ctx.tx, id)) {
    throw new AppError('conflict', 'This product has been ordered; change its prices or bounds instead of deleting it.');
  }
  await deleteProductRows(ctx.tx, id);
  await ctx.audit.record({
    action: 'product.deleted',
    target: { type: 'product', id },
    organizationIds: [ctx.actor.organizationId],
    before: { name: product.name },
  });
}
