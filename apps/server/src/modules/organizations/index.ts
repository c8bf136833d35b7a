export { registerOrganizationRoutes } from './organizations.routes.ts';
export { onboardPartner } from './onboard-partner.ts';
export { bootstrapOperator } from './bootstrap-operator.ts';
export { presentPartnerProfile } from './organizations.presenter.ts';
export {
  countEnrollmentQueue,
  partnersByProgramAndCountry,
  profilesByMembershipId,
  profilesOfOrganizations,
  type PartnerProfileRow,
  type PartnersOfProgram,
} from './organizations.queries.ts';
