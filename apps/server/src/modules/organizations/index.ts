export { registerOrganizationRoutes } from './organizations.routes.ts';
export { onboardPartner } from './onboard-partner.ts';
export { insertProfile, setOrganizationKind } from './organizations.repository.ts';
export { bootstrapOperator } from './bootstrap-operator.ts';
export { presentPartnerProfile } from './organizations.presenter.ts';
