import { z } from 'zod';
import {
  CreateWebhookEndpointBody,
  EventTypeList,
  IdParams,
  UpdateWebhookEndpointBody,
  WebhookDelivery,
  WebhookDeliveryParams,
  WebhookDeliveryQuery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  eventTypes,
  eventTypeNames,
  page,
} from '@tierlink/contract';
import type { OutboundPolicy } from '../../platform/outbound-http.ts';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { createEndpoint } from './create-endpoint.ts';
import { deleteEndpoint } from './delete-endpoint.ts';
import { listDeliveries } from './list-deliveries.ts';
import { getEndpoint, listEndpoints } from './list-endpoints.ts';
import { retryDelivery } from './retry-delivery.ts';
import { rotateSecret } from './rotate-secret.ts';
import { sendTestEvent } from './send-test-event.ts';
import { updateEndpoint } from './update-endpoint.ts';
import { presentDelivery, presentEndpoint } from './webhooks.presenter.ts';

export interface WebhookRouteOptions {
  policy: OutboundPolicy;
  /** Wakes the delivery worker after a commit that made a message due now (test, retry). */
  onDue?: () => void;
}

/** Unknown query parameters are refused (400), never ignored. */
const noQuery = z.object({}).strict();

/** The catalog with the JSON Schema of each type's `data`, built once. */
const catalog = {
  items: eventTypeNames.map((name) => ({ name, description: eventTypes[name].description, schema: z.toJSONSchema(eventTypes[name].data, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown> })),
};

export function registerWebhookRoutes(app: App, uow: UnitOfWorkDeps, options: WebhookRouteOptions): void {
  const tags = ['Webhooks'];
  const due = () => options.onDue?.();

  app.get(
    '/api/v1/event-types',
    {
      schema: { tags, summary: 'The event catalog: each type with the JSON Schema of its data', querystring: noQuery, response: responses({ 200: EventTypeList }) },
      config: { access: 'authenticated' },
    },
    () => catalog,
  );

  app.get(
    '/api/v1/webhook-endpoints',
    {
      schema: { tags, summary: 'The organization\'s webhook endpoints', querystring: noQuery, response: responses({ 200: z.object({ items: z.array(WebhookEndpoint) }) }) },
      config: { access: 'webhooks.manage' },
    },
    async (request) => ({ items: (await runAsActor(uow, request, listEndpoints)).map(presentEndpoint) }),
  );

  app.post(
    '/api/v1/webhook-endpoints',
    {
      schema: { tags, summary: 'Subscribe an endpoint (the signing secret is in this answer only)', body: CreateWebhookEndpointBody, response: responses({ 201: WebhookEndpointWithSecret }) },
      config: { access: 'webhooks.manage' },
    },
    async (request, reply) => {
      const { endpoint, secret } = await runAsActor(uow, request, (ctx) => createEndpoint(ctx, request.body, options.policy));
      return reply.code(201).send({ endpoint: presentEndpoint(endpoint), secret });
    },
  );

  app.get(
    '/api/v1/webhook-endpoints/:id',
    { schema: { tags, summary: 'One webhook endpoint', params: IdParams, querystring: noQuery, response: responses({ 200: WebhookEndpoint }) }, config: { access: 'webhooks.manage' } },
    async (request) => presentEndpoint(await runAsActor(uow, request, (ctx) => getEndpoint(ctx, request.params.id))),
  );

  app.patch(
    '/api/v1/webhook-endpoints/:id',
    {
      schema: { tags, summary: 'Change an endpoint\'s address, description, event types, or switch it on or off', params: IdParams, body: UpdateWebhookEndpointBody, response: responses({ 200: WebhookEndpoint }) },
      config: { access: 'webhooks.manage' },
    },
    async (request) => presentEndpoint(await runAsActor(uow, request, (ctx) => updateEndpoint(ctx, request.params.id, request.body, options.policy))),
  );

  app.delete(
    '/api/v1/webhook-endpoints/:id',
    { schema: { tags, summary: 'Delete an endpoint and its delivery log', params: IdParams, response: responses({ 204: z.null() }) }, config: { access: 'webhooks.manage' } },
    async (request, reply) => {
      await runAsActor(uow, request, (ctx) => deleteEndpoint(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/webhook-endpoints/:id/rotate-secret',
    {
      schema: { tags, summary: 'A new signing secret (in this answer only); the previous one also signs for 24 hours', params: IdParams, response: responses({ 200: WebhookEndpointWithSecret }) },
      config: { access: 'webhooks.manage' },
    },
    async (request) => {
      const { endpoint, secret } = await runAsActor(uow, request, (ctx) => rotateSecret(ctx, request.params.id));
      return { endpoint: presentEndpoint(endpoint), secret };
    },
  );

  app.post(
    '/api/v1/webhook-endpoints/:id/test',
    { schema: { tags, summary: 'Send a webhook.test event now', params: IdParams, response: responses({ 202: z.object({ id: z.string() }) }) }, config: { access: 'webhooks.manage' } },
    async (request, reply) => {
      const queued = await runAsActor(uow, request, (ctx) => sendTestEvent(ctx, request.params.id));
      due();
      return reply.code(202).send({ id: queued.id });
    },
  );

  app.get(
    '/api/v1/webhook-endpoints/:id/deliveries',
    {
      schema: { tags, summary: 'The endpoint\'s delivery log: each message with its attempts', params: IdParams, querystring: WebhookDeliveryQuery, response: responses({ 200: page(WebhookDelivery) }) },
      config: { access: 'webhooks.manage' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listDeliveries(ctx, request.params.id, request.query));
      return { items: result.items.map((d) => presentDelivery(d.message, d.attempts)), nextCursor: result.nextCursor };
    },
  );

  app.post(
    '/api/v1/webhook-deliveries/:id/retry',
    { schema: { tags, summary: 'Deliver a message again now, under the same webhook-id', params: WebhookDeliveryParams, response: responses({ 202: z.object({ id: z.string() }) }) }, config: { access: 'webhooks.manage' } },
    async (request, reply) => {
      const message = await runAsActor(uow, request, (ctx) => retryDelivery(ctx, request.params.id));
      due();
      return reply.code(202).send({ id: message.id });
    },
  );
}
