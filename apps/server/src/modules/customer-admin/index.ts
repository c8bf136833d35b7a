export { registerCustomerAdminRoutes } from './customer-admin.routes.ts';
export { listCustomerUsers, type CustomerUserView } from './list-customer-users.ts';
export { createCustomerUser } from './create-customer-user.ts';
export { removeCustomerUser } from './remove-customer-user.ts';
export { assignLicense } from './assign-license.ts';
export { removeLicense } from './remove-license.ts';
