export { registerAuditRoutes } from './audit.routes.ts';
export { actionsThrough, recentPartnerActions, type ActionThrough, type PartnerAction } from './audit.queries.ts';
