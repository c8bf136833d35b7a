export { registerCustomerAdminRoutes } from './customer-admin.routes.ts';
