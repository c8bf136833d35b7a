import type { BillingCycle, Subscription } from '@tierlink/contract';
import type { CreditView } from './commerce.queries.ts';
import type { ProductRow, SkuRow, OrderView, SubscriptionView } from './commerce.repository.ts';
import { etagOf } from './update-subscription.ts';

export function presentSku(sku: SkuRow) {
  return {
    id: sku.id,
    productId: sku.productId,
    name: sku.name,
    currency: sku.currency,
    prices: { monthly: sku.monthlyPrice, annual: sku.annualPrice },
    minQuantity: sku.minQuantity,
    maxQuantity: sku.maxQuantity,
  };
}

export function presentProduct(entry: { product: ProductRow; skus: SkuRow[] }) {
  return { id: entry.product.id, name: entry.product.name, description: entry.product.description, skus: entry.skus.map(presentSku) };
}

export function presentOrder(view: OrderView) {
  return {
    id: view.order.id,
    customer: view.customer,
    provider: view.provider,
    reseller: view.reseller,
    state: view.order.state,
    currency: view.order.currency,
    totalAmount: view.order.totalAmount,
    lines: view.lines.map((l) => ({
      skuId: l.skuId,
      quantity: l.quantity,
      billingCycle: l.billingCycle as BillingCycle,
      unitPrice: l.unitPrice,
      amount: l.amount,
      subscriptionId: l.subscriptionId,
    })),
    createdAt: view.order.createdAt.toISOString(),
  };
}

export function presentSubscription(view: SubscriptionView): Subscription {
  const s = view.subscription;
  return {
    id: s.id,
    customer: view.customer,
    provider: view.provider,
    reseller: view.reseller,
    skuId: s.skuId,
    skuName: view.skuName,
    productName: view.productName,
    billingCycle: s.billingCycle,
    quantity: s.quantity,
    assignedLicenses: view.assigned,
    status: s.status,
    etag: etagOf(s.version),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function presentCredit(view: CreditView) {
  return { ...view, periodStart: view.periodStart.toISOString() };
}
