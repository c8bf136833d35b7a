export { registerAuditRoutes } from './audit.routes.ts';
export { recentPartnerActions, type PartnerAction } from './audit.queries.ts';
