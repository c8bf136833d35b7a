export { registerEnrollmentRoutes } from './enrollment.routes.ts';
export { registerMembership } from './register-membership.ts';
export { signInMembership } from './sign-in-membership.ts';
export { enroll } from './enroll.ts';
export { presentEnrollmentById } from './enrollment.queries.ts';
export { listEnrollments } from './list-enrollments.ts';
export { presentEnrollment } from './enrollment.presenter.ts';
