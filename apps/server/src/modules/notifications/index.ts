export { registerNotificationRoutes } from './notifications.routes.ts';
export { mailboxDelivery } from './deliver-to-mailbox.ts';
