export { registerInvitationRoutes } from './invitations.routes.ts';
export { proveInvitationEmail } from './prove-invitation-email.ts';
export { expireInvitations } from './expire-invitations.ts';
