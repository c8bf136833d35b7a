export { registerWebhookRoutes } from './webhooks.routes.ts';
export { fanOutEvent, type PublishedEvent } from './fan-out-event.ts';
export { createWebhookDelivery, signatureHeader } from './deliver-webhooks.ts';
