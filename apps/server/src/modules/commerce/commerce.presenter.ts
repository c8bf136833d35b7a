import type { BillingCycle, Subscription } from '@tierlink/contract';
import type { CsvCell } from '../../platform/http/csv-response.ts';
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
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function presentCredit(view: CreditView) {
  return { ...view, periodStart: view.periodStart.toISOString() };
}

/** The partner-wide Subscriptions export: one row per subscription, ids and codes as the API gives them. */
export const subscriptionCsvColumns = [
  'id',
  'customer_id',
  'customer_name',
  'product',
  'sku',
  'sku_id',
  'billing_cycle',
  'quantity',
  'assigned_licenses',
  'status',
  'provider_id',
  'provider_name',
  'reseller_id',
  'reseller_name',
  'created_at',
  'updated_at',
] as const;

export function subscriptionCsvCells(view: SubscriptionView): CsvCell[] {
  const s = view.subscription;
  return [
    s.id,
    view.customer.id,
    view.customer.name,
    view.productName,
    view.skuName,
    s.skuId,
    s.billingCycle,
    s.quantity,
    view.assigned,
    s.status,
    view.provider.id,
    view.provider.name,
    view.reseller?.id ?? null,
    view.reseller?.name ?? null,
    s.createdAt.toISOString(),
    s.updatedAt.toISOString(),
  ];
}

/** The partner-wide Orders export: amounts in minor units of the order's currency, as the API gives them. */
export const orderCsvColumns = [
  'id',
  'created_at',
  'customer_id',
  'customer_name',
  'provider_id',
  'provider_name',
  'reseller_id',
  'reseller_name',
  'state',
  'currency',
  'total_amount',
  'lines',
  'seats',
] as const;

export function orderCsvCells(view: OrderView): CsvCell[] {
  const o = view.order;
  return [
    o.id,
    o.createdAt.toISOString(),
    view.customer.id,
    view.customer.name,
    view.provider.id,
    view.provider.name,
    view.reseller?.id ?? null,
    view.reseller?.name ?? null,
    o.state,
    o.currency,
    o.totalAmount,
    view.lines.length,
    view.lines.reduce((sum, l) => sum + l.quantity, 0),
  ];
}
