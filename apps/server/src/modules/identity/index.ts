export { registerIdentityRoutes } from './identity.routes.ts';
export { countedGuess, defaultGuessLimit, throttledGuess, type GuessLimit } from './guess-throttle.ts';
export { sweepThrottles } from './sweep-throttles.ts';
export { createActorResolver, type ApiKeyActorResolver } from './resolve-actor.ts';
export { createApiKeyCache, credentialsChannel } from './api-key-cache.ts';
export { createOrganization, type InvitationEmailProof } from './create-organization.ts';
export { provisionOrganization } from './provision-organization.ts';
export { provisionUser } from './provision-user.ts';
export { issueTemporaryPassword } from './issue-temporary-password.ts';
export { deleteUser, type UserRemovalScope } from './delete-user.ts';
export { makePartnerOrganization } from './make-partner-organization.ts';
export { installAuthenticator } from './install-authenticator.ts';
export { assertPasswordAllowed } from './identity.policy.ts';
export {
  findOrganization,
  findOrganizationByDomain,
  findOrganizationUser,
  findOperatorOrganization,
  findUserById,
  findUserByEmail,
  listDelegatedAdminApprovers,
  listOrganizationAdmins,
  listOrganizationUsers,
  listProfiles,
  loadUserActor,
  presentUserById,
  type OrganizationRow,
  type ProfileRow,
  type UserRow,
} from './identity.queries.ts';
export { presentOrganization, presentUser } from './identity.presenter.ts';
