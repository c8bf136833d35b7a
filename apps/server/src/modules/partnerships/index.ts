export { registerPartnershipRoutes } from './partnerships.routes.ts';
export { createPartnership, partnershipCreatedEvent } from './create-partnership.ts';
export { activePartnerIds, findActivePartnership } from './partnerships.queries.ts';
export type { PartnershipRow, PartnershipView } from './partnerships.queries.ts';
export { presentPartnership } from './partnerships.presenter.ts';
export { presentPartnershipById } from './partnerships.queries.ts';
export { endPartnership } from './end-partnership.ts';
export { listPartnerships, type PartnershipListItem } from './list-partnerships.ts';
