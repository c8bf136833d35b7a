export { registerCustomerRoutes } from './customers.routes.ts';
export { createRelationship, relationshipCreatedEvent } from './create-relationship.ts';
export { delegatedAccessFacts, hasActiveRelationship, isServedCustomer, type DelegatedAccessFacts } from './customers.queries.ts';
export type { RelationshipView } from './customers.queries.ts';
export { presentRelationship } from './customers.presenter.ts';
export { presentRelationshipById } from './customers.queries.ts';
export { countActiveCustomers, partnerAccessOfCustomer, type PartnerAccess } from './customers.queries.ts';
