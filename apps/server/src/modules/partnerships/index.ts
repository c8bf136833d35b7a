export { registerPartnershipRoutes } from './partnerships.routes.ts';
export { createPartnership } from './create-partnership.ts';
export { findActivePartnership, findPartnershipView, type PartnershipRow, type PartnershipView } from './partnerships.repository.ts';
export { presentPartnership } from './partnerships.presenter.ts';
