export { registerInvitationRoutes } from './invitations.routes.ts';
export { acceptInvitation } from './accept-invitation.ts';
export { createCustomerInvitation } from './create-customer-invitation.ts';
export { createResellerInvitation } from './create-reseller-invitation.ts';
export { proveInvitationEmail } from './prove-invitation-email.ts';
export { expireInvitations } from './expire-invitations.ts';
export { defaultInvitationQuota, type InvitationQuota } from './invitations.policy.ts';
export { countPendingInvitations, presentInvitationById } from './invitations.queries.ts';
