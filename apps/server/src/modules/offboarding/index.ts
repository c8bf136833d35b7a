export { registerOffboardingRoutes } from './offboarding.routes.ts';
