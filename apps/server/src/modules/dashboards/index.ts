export { registerDashboardRoutes } from './dashboards.routes.ts';
