import { z } from 'zod';
import {
  CreateProductBody,
  CreditLines,
  CreditLinesQuery,
  CreditTerms,
  IdParams,
  countedPage,
  Order,
  PartnerOrderExportQuery,
  PartnerOrderQuery,
  PartnerSubscriptionExportQuery,
  PartnerSubscriptionQuery,
  PlaceOrderBody,
  Product,
  SetCreditBody,
  Sku,
  Subscription,
  SubscriptionParams,
  UpdateSkuBody,
  UpdateSubscriptionBody,
} from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import { sendCsv } from '../../platform/http/csv-response.ts';
import { responses, runAsActor, runAsActorInOneStatement, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import {
  orderCsvCells,
  orderCsvColumns,
  presentCredit,
  presentOrder,
  presentProduct,
  presentSku,
  presentSubscription,
  subscriptionCsvCells,
  subscriptionCsvColumns,
} from './commerce.presenter.ts';
import { exportPartnerOrders } from './export-partner-orders.ts';
import { exportPartnerSubscriptions } from './export-partner-subscriptions.ts';
import { listPartnerOrders } from './list-partner-orders.ts';
import { listPartnerSubscriptions } from './list-partner-subscriptions.ts';
import { createProduct } from './create-product.ts';
import { deleteProduct } from './delete-product.ts';
import { getCredit } from './get-credit.ts';
import { listCredit } from './list-credit.ts';
import { listProducts } from './list-products.ts';
import { getSubscription, listOrders, listSubscriptions } from './list-subscriptions.ts';
import { placeOrder } from './place-order.ts';
import { setCreditLimit } from './set-credit-limit.ts';
import { updateSku } from './update-sku.ts';
import { updateSubscription } from './update-subscription.ts';

const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z.string().max(255).regex(/^[\x21-\x7e]+$/, 'visible ASCII characters').optional().meta({ description: 'Required: same key + same body replays the answer for 24 h' }),
});
const IfMatchHeaders = z.looseObject({ 'if-match': z.string().max(100).optional().meta({ description: 'Required: the ETag of the subscription as read' }) });

export function registerCommerceRoutes(app: App, uow: UnitOfWorkDeps): void {

  app.get(
    '/api/v1/catalog/products',
    {
      schema: { tags: ['Catalog'], summary: 'Products with their SKUs, prices and quantity bounds', response: responses({ 200: z.object({ items: z.array(Product) }) }) },
      config: { access: 'catalog.read' },
    },
    async (request) => ({ items: (await runAsActor(uow, request, listProducts)).map(presentProduct) }),
  );

  app.post(
    '/api/v1/operator/catalog/products',
    {
      schema: { tags: ['Operator'], summary: 'Create a product with its SKUs', body: CreateProductBody, response: responses({ 201: Product }) },
      config: { access: 'catalog.manage' },
    },
    async (request, reply) => reply.code(201).send(presentProduct(await runAsActor(uow, request, (ctx) => createProduct(ctx, request.body)))),
  );

  app.delete(
    '/api/v1/operator/catalog/products/:id',
    {
      schema: { tags: ['Operator'], summary: 'Delete a product that was never ordered', params: IdParams, response: responses({ 204: z.null() }) },
      config: { access: 'catalog.manage' },
    },
    async (request, reply) => {
      await runAsActor(uow, request, (ctx) => deleteProduct(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/api/v1/operator/catalog/skus/:id',
    {
      schema: { tags: ['Operator'], summary: 'Change a SKU\'s name, prices or quantity bounds', params: IdParams, body: UpdateSkuBody, response: responses({ 200: Sku }) },
      config: { access: 'catalog.manage' },
    },
    async (request) => presentSku(await runAsActor(uow, request, (ctx) => updateSku(ctx, request.params.id, request.body))),
  );

  app.post(
    '/api/v1/customers/:id/orders',
    {
      schema: {
        tags: ['Orders'],
        summary: 'Order for a customer (Idempotency-Key required)',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: PlaceOrderBody,
        response: responses({ 201: Order }, ['idempotency_key_required', 'partner_of_record_required', 'idempotency_in_progress', 'relationship_not_active', 'idempotency_key_reused', 'credit_limit_exceeded', 'currency_mismatch', 'quantity_out_of_range', 'billing_cycle_unavailable']),
      },
      config: { access: 'orders.place' },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key === undefined || key === '') throw new AppError('idempotency_key_required', 'Send an Idempotency-Key header with every order.', 'Idempotency-Key');
      const result = await runAsActor(uow, request, (ctx) => placeOrder(ctx, request.params.id, request.body, key));
      if (result.replayed) reply.header('Idempotent-Replayed', 'true');
      return reply.code(201).send(presentOrder(result.order));
    },
  );

  app.get(
    '/api/v1/customers/:id/orders',
    {
      schema: { tags: ['Orders'], summary: 'Orders of a customer that the caller is party to', params: IdParams, response: responses({ 200: z.object({ items: z.array(Order) }) }) },
      config: { access: 'subscriptions.read' },
    },
    async (request) => ({ items: (await runAsActor(uow, request, (ctx) => listOrders(ctx, request.params.id))).map(presentOrder) }),
  );

  app.get(
    '/api/v1/customers/:id/subscriptions',
    {
      schema: { tags: ['Subscriptions'], summary: 'Subscriptions of a customer that the caller is party to', params: IdParams, response: responses({ 200: z.object({ items: z.array(Subscription) }) }) },
      config: { access: 'subscriptions.read' },
    },
    async (request) => ({ items: (await runAsActor(uow, request, (ctx) => listSubscriptions(ctx, request.params.id))).map(presentSubscription) }),
  );

  app.get(
    '/api/v1/customers/:id/subscriptions/:sid',
    {
      schema: { tags: ['Subscriptions'], summary: 'One subscription, with its ETag', params: SubscriptionParams, response: responses({ 200: Subscription }) },
      config: { access: 'subscriptions.read' },
    },
    async (request, reply) => {
      const view = presentSubscription(await runAsActor(uow, request, (ctx) => getSubscription(ctx, request.params.id, request.params.sid)));
      return reply.header('ETag', view.etag).send(view);
    },
  );

  app.patch(
    '/api/v1/customers/:id/subscriptions/:sid',
    {
      schema: {
        tags: ['Subscriptions'],
        summary: 'Change seats or suspend/reactivate (If-Match required)',
        params: SubscriptionParams,
        headers: IfMatchHeaders,
        body: UpdateSubscriptionBody,
        response: responses({ 200: Subscription }, ['seats_in_use', 'precondition_failed', 'quantity_out_of_range', 'precondition_required']),
      },
      config: { access: 'subscriptions.manage' },
    },
    async (request, reply) => {
      const view = presentSubscription(
        await runAsActorInOneStatement(uow, request, (ctx) => updateSubscription(ctx, request.params.id, request.params.sid, request.body, request.headers['if-match'])),
      );
      return reply.header('ETag', view.etag).send(view);
    },
  );

  // Partner-wide lists: across the customers, what the caller is provider or reseller of record of.
  app.get(
    '/api/v1/partner-subscriptions',
    {
      schema: {
        tags: ['Subscriptions'],
        summary: 'Subscriptions the caller is provider or reseller of record of, across its customers: sorted, filtered, keyset-paged, optionally counted',
        querystring: PartnerSubscriptionQuery,
        response: responses({ 200: countedPage(Subscription) }),
      },
      config: { access: 'subscriptions.read' },
    },
    async (request) => {
      const { count, ...query } = request.query;
      const result = await runAsActor(uow, request, (ctx) => listPartnerSubscriptions(ctx, { ...query, count: count === 'true' }));
      return { items: result.items.map(presentSubscription), nextCursor: result.nextCursor, count: result.count };
    },
  );

  app.get(
    '/api/v1/partner-subscriptions/export',
    {
      schema: {
        tags: ['Subscriptions'],
        summary: 'Every subscription the filters show, as CSV in the list\'s order (streamed, no row limit)',
        querystring: PartnerSubscriptionExportQuery,
        response: responses({ 200: z.string().meta({ contentMediaType: 'text/csv' }) }),
      },
      config: { access: 'subscriptions.read' },
    },
    async (request, reply) => {
      const batches = await runAsActor(uow, request, async (ctx) => exportPartnerSubscriptions(ctx, request.query));
      return sendCsv(reply, 'subscriptions.csv', subscriptionCsvColumns, batches, subscriptionCsvCells);
    },
  );

  app.get(
    '/api/v1/partner-orders',
    {
      schema: {
        tags: ['Orders'],
        summary: 'Orders the caller is provider or reseller of record of, across its customers: sorted, filtered, keyset-paged, optionally counted',
        querystring: PartnerOrderQuery,
        response: responses({ 200: countedPage(Order) }),
      },
      config: { access: 'subscriptions.read' },
    },
    async (request) => {
      const { count, ...query } = request.query;
      const result = await runAsActor(uow, request, (ctx) => listPartnerOrders(ctx, { ...query, count: count === 'true' }));
      return { items: result.items.map(presentOrder), nextCursor: result.nextCursor, count: result.count };
    },
  );

  app.get(
    '/api/v1/partner-orders/export',
    {
      schema: {
        tags: ['Orders'],
        summary: 'Every order the filters show, as CSV in the list\'s order (streamed, no row limit)',
        querystring: PartnerOrderExportQuery,
        response: responses({ 200: z.string().meta({ contentMediaType: 'text/csv' }) }),
      },
      config: { access: 'subscriptions.read' },
    },
    async (request, reply) => {
      const batches = await runAsActor(uow, request, async (ctx) => exportPartnerOrders(ctx, request.query));
      return sendCsv(reply, 'orders.csv', orderCsvColumns, batches, orderCsvCells);
    },
  );

  app.get(
    '/api/v1/subscriptions',
    {
      schema: { tags: ['Customer admin'], summary: 'The own organization\'s subscriptions', response: responses({ 200: z.object({ items: z.array(Subscription) }) }) },
      config: { access: 'own_subscriptions.read' },
    },
    async (request) => ({
      items: (await runAsActor(uow, request, (ctx) => listSubscriptions(ctx, ctx.actor.organizationId))).map(presentSubscription),
    }),
  );

  app.put(
    '/api/v1/indirect-resellers/:id/credit',
    {
      schema: { tags: ['Credit'], summary: 'Set a reseller\'s credit limit', params: IdParams, body: SetCreditBody, response: responses({ 200: CreditTerms }) },
      config: { access: 'credit.manage' },
    },
    async (request) =>
      presentCredit(
        await runAsActor(uow, request, async (ctx) => {
          await setCreditLimit(ctx, request.params.id, request.body);
          return getCredit(ctx, 'provider', request.params.id);
        }),
      ),
  );

  // One page of partners' credit lines in one request (the lists show a credit column).
  for (const [path, side] of [
    ['/api/v1/indirect-resellers/credit', 'provider'],
    ['/api/v1/indirect-providers/credit', 'reseller'],
  ] as const) {
    app.get(
      path,
      {
        schema: {
          tags: ['Credit'],
          summary: 'The credit lines of several partners (ids comma-separated); ids that are not active partners are left out',
          querystring: CreditLinesQuery,
          response: responses({ 200: CreditLines }),
        },
        config: { access: 'credit.read' },
      },
      async (request) => ({
        items: (await runAsActor(uow, request, (ctx) => listCredit(ctx, side, request.query.ids.split(',')))).map(presentCredit),
      }),
    );
  }

  for (const [path, side] of [
    ['/api/v1/indirect-resellers/:id/credit', 'provider'],
    ['/api/v1/indirect-providers/:id/credit', 'reseller'],
  ] as const) {
    app.get(
      path,
      {
        schema: { tags: ['Credit'], summary: 'Credit limit, exposure this month and what is available', params: IdParams, response: responses({ 200: CreditTerms }) },
        config: { access: 'credit.read' },
      },
      async (request) => presentCredit(await runAsActor(uow, request, (ctx) => getCredit(ctx, side, request.params.id))),
    );
  }
}
