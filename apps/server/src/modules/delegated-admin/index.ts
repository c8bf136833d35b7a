export { grantDelegatedAdmin, grantedEvent, type GrantInput } from './grant-delegated-admin.ts';
export { revokeDelegatedAdmin } from './revoke-delegated-admin.ts';
export { expireDelegatedAdmin } from './expire-delegated-admin.ts';
export { listGrantViews, liveGrantsOf, type GrantRow, type GrantView, type OrganizationRef } from './delegated-admin.queries.ts';
export { presentGrant } from './delegated-admin.presenter.ts';
export { countGrantsEndingBy, presentGrantById } from './delegated-admin.queries.ts';
