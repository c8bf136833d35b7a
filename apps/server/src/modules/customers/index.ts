export { registerCustomerRoutes } from './customers.routes.ts';
export { createRelationship } from './create-relationship.ts';
export { findRelationshipViews, hasActiveRelationship, type RelationshipView } from './customers.repository.ts';
export { presentRelationship } from './customers.presenter.ts';
