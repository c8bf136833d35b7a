export { registerCommerceRoutes } from './commerce.routes.ts';
export { createProduct } from './create-product.ts';
export { placeOrder } from './place-order.ts';
export { setCreditLimit } from './set-credit-limit.ts';
export { lockSubscription, subscriptionSkuNames } from './commerce.queries.ts';
export { presentSubscription } from './commerce.presenter.ts';
export { subscriptionsLeftBehind } from './list-subscriptions.ts';
export { presentCreditById, presentOrderById, presentSubscriptionById } from './commerce.queries.ts';
export { creditUsage, ordersByMonth, subscriptionsByProduct, type CreditUsageRow, type MonthlyOrders, type ProductSubscriptions } from './commerce.queries.ts';
