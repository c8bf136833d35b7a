export { registerIdentityRoutes } from './identity.routes.ts';
export { countedGuess, defaultGuessLimit, throttledGuess, type GuessLimit } from './guess-throttle.ts';
export { sweepThrottles } from './sweep-throttles.ts';
export { createActorResolver } from './resolve-actor.ts';
export { createApiKeyCache, credentialsChannel } from './api-key-cache.ts';
export type { InvitationEmailProof } from './create-organization.ts';
export { assertPasswordAllowed, temporaryPasswordLifetimeMs } from './identity.policy.ts';
export {
  findOrganization,
  findOrganizationByDomain,
  findUserById,
  findUserByEmail,
  insertOrganization,
  insertUser,
  findOperatorOrganization,
  listOrganizationAdmins,
  listOrganizationUsers,
  revokeOtherSessions,
  setTemporaryPassword,
  updateUserRoles,
  loadUserActor,
  listProfiles,
  type OrganizationRow,
  type UserRow,
} from './identity.repository.ts';
export { presentOrganization, presentUser } from './identity.presenter.ts';
export { installAuthenticator } from './install-authenticator.ts';
