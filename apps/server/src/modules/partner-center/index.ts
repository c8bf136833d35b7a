export { registerPartnerCenterRoutes, type PartnerCenterOptions } from './partner-center.routes.ts';
export { partnerCenterCodes, partnerCenterCode, notFoundCodes, notSupportedCode } from './partner-center.errors.ts';
export { accessTokenPrefix, accessTokenSeconds } from './access-token.ts';
export { compatibleFrameworkErrors } from './partner-center.http.ts';
