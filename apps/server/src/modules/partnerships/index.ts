export { registerPartnershipRoutes } from './partnerships.routes.ts';
export { createPartnership, partnershipCreatedEvent } from './create-partnership.ts';
export { findActivePartnership, type PartnershipRow, type PartnershipView } from './partnerships.repository.ts';
export { presentPartnership } from './partnerships.presenter.ts';
