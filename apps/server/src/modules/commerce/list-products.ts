import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listCatalog, type ProductRow, type SkuRow } from './commerce.repository.ts';

export function listProducts(ctx: UseCaseContext): Promise<{ product: ProductRow; skus: SkuRow[] }[]> {
  return listCatalog(ctx.tx);
}
