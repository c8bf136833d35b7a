export { grantDelegatedAdmin, grantedEvent, type GrantInput } from './grant-delegated-admin.ts';
export { revokeDelegatedAdmin } from './revoke-delegated-admin.ts';
export { expireDelegatedAdmin } from './expire-delegated-admin.ts';
export { listGrantViews, liveGrantsOf, type GrantRow, type GrantView, type LiveGrant, type OrganizationRef } from './delegated-admin.queries.ts';
export { presentGrant } from './delegated-admin.presenter.ts';
export { countGrantsEndingBy, presentGrantById } from './delegated-admin.queries.ts';
export { registerDelegatedAdminRoutes } from './delegated-admin.routes.ts';
export type { RequestReach } from './create-relationship.ts';
export type { ActionsThrough } from './trace-access.ts';
export { sweepDelegatedAdmin, type SweepResult } from './sweep-delegated-admin.ts';
export { presentRelationship } from './delegated-admin.presenter.ts';
export { findRelationshipView, presentDelegatedRelationshipById, type AmendmentRow, type RelationshipView } from './relationships.queries.ts';
// The use cases behind the native routes, for the Graph-compatible facade (partner-center), which calls the same ones.
export { createRelationship } from './create-relationship.ts';
export { getRelationship, listRelationships } from './list-relationships.ts';
export { deleteRelationshipDraft, updateRelationshipDraft } from './update-relationship.ts';
export { lockForApproval } from './lock-for-approval.ts';
export { approveRelationship, rejectRelationship } from './approve-relationship.ts';
export { terminateRelationship } from './terminate-relationship.ts';
