export { registerInvitationRoutes } from './invitations.routes.ts';
export { proveInvitationEmail } from './prove-invitation-email.ts';
export { expireInvitations } from './expire-invitations.ts';
export { defaultInvitationQuota, type InvitationQuota } from './invitations.policy.ts';
