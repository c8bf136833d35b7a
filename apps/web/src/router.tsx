import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import { AppShell } from './shell/AppShell.tsx';
import { loadMe } from './session.ts';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { HomePage, WelcomePage } from './pages/HomePage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { SignUpPage } from './pages/SignUpPage.tsx';
import { InvitationPage } from './pages/InvitationPage.tsx';
import { IndirectProvidersPage } from './pages/IndirectProvidersPage.tsx';
import { SharedCustomersPage } from './pages/SharedCustomersPage.tsx';
import { IndirectResellersPage } from './pages/IndirectResellersPage.tsx';
import { CustomersPage } from './pages/CustomersPage.tsx';
import { CustomerPage } from './pages/CustomerPage.tsx';
import { RequestRelationshipPage } from './pages/RequestRelationshipPage.tsx';
import { SentInvitationsPage } from './pages/SentInvitationsPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { MailboxPage } from './pages/MailboxPage.tsx';
import { PartnersPage } from './pages/PartnersPage.tsx';
import { OperatorPartnersPage } from './pages/OperatorPartnersPage.tsx';
import { OperatorImportPage } from './pages/OperatorImportPage.tsx';
import { ChangePasswordPage } from './pages/ChangePasswordPage.tsx';
import { MfaPage } from './pages/MfaPage.tsx';
import { EnrollmentPage } from './pages/EnrollmentPage.tsx';
import { VerifyEmailPage } from './pages/VerifyEmailPage.tsx';
import { OperatorEnrollmentsPage } from './pages/OperatorEnrollmentsPage.tsx';
import { OperatorMembershipsPage } from './pages/OperatorMembershipsPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { CatalogPage } from './pages/CatalogPage.tsx';
import { ApiKeysPage } from './pages/ApiKeysPage.tsx';
import { SubscriptionsPage } from './pages/SubscriptionsPage.tsx';
import { WebhooksPage } from './pages/WebhooksPage.tsx';
import { WebhookEndpointPage } from './pages/WebhookEndpointPage.tsx';

export interface RouterContext {
  queryClient: QueryClient;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

// Public pages: reachable without a session.
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => ({ redirect: text(search['redirect']) }),
  component: SignInPage,
});
const signUpRoute = createRoute({ getParentRoute: () => rootRoute, path: 'sign-up', component: SignUpPage });
/** The link in invitation emails. Opening it only reads (GET preview); deciding is a POST. */
export const invitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'invitations/$id',
  validateSearch: (search: Record<string, unknown>): { token?: string } => ({ token: text(search['token']) }),
  component: InvitationPage,
});
/** The link in the enrollment's verification email. Opening it changes nothing; verifying is a POST. */
export const verifyEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'verify-email/$id',
  validateSearch: (search: Record<string, unknown>): { token?: string } => ({ token: text(search['token']) }),
  component: VerifyEmailPage,
});

// Everything else needs the caller; /me is loaded once here and shared through the query cache.
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await loadMe(context.queryClient);
    if (me === null) throw redirect({ to: '/sign-in', search: location.href === '/' ? {} : { redirect: location.href } });
    if (me.user?.mustChangePassword === true && location.pathname !== '/settings/password') {
      throw redirect({ to: '/settings/password' });
    }
    // Partner and operator users set up MFA before anything else (the API refuses the rest).
    if (me.user?.mustChangePassword !== true && me.mfaEnrollmentRequired && location.pathname !== '/settings/mfa') {
      throw redirect({ to: '/settings/mfa' });
    }
    return { me };
  },
  component: AppShell,
});

const page = <P extends string>(path: P, component: () => React.ReactNode) => createRoute({ getParentRoute: () => appRoute, path, component });

const homeRoute = page('/', HomePage);
const welcomeRoute = page('welcome', WelcomePage);
export const indirectProvidersRoute = page('indirect-providers', IndirectProvidersPage);
export const sharedCustomersRoute = page('indirect-providers/$id/customers', SharedCustomersPage);
const indirectResellersRoute = page('indirect-resellers', IndirectResellersPage);
export const customersRoute = page('customers', CustomersPage);
export const customerRoute = page('customers/$id', CustomerPage);
export const requestRelationshipRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'customers/request',
  validateSearch: (search: Record<string, unknown>): { providerId?: string } => ({ providerId: text(search['providerId']) }),
  component: RequestRelationshipPage,
});
const sentInvitationsRoute = page('invitations', SentInvitationsPage);
const auditRoute = page('audit', AuditPage);
const mailboxRoute = page('mailbox', MailboxPage);
const partnersRoute = page('partners', PartnersPage);
const operatorPartnersRoute = page('operator/partners', OperatorPartnersPage);
const operatorImportRoute = page('operator/import', OperatorImportPage);
const changePasswordRoute = page('settings/password', ChangePasswordPage);
const mfaRoute = page('settings/mfa', MfaPage);
const enrollmentRoute = page('enrollment', EnrollmentPage);
const operatorEnrollmentsRoute = page('operator/enrollments', OperatorEnrollmentsPage);
const operatorMembershipsRoute = page('operator/memberships', OperatorMembershipsPage);
const usersRoute = page('settings/users', UsersPage);
const catalogRoute = page('catalog', CatalogPage);
const apiKeysRoute = page('settings/api-keys', ApiKeysPage);
const subscriptionsRoute = page('subscriptions', SubscriptionsPage);
const webhooksRoute = page('settings/webhooks', WebhooksPage);
const webhookEndpointRoute = page('settings/webhooks/$id', WebhookEndpointPage);

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  invitationRoute,
  verifyEmailRoute,
  appRoute.addChildren([
    homeRoute,
    welcomeRoute,
    indirectProvidersRoute,
    sharedCustomersRoute,
    indirectResellersRoute,
    customersRoute,
    requestRelationshipRoute,
    customerRoute,
    sentInvitationsRoute,
    auditRoute,
    mailboxRoute,
    partnersRoute,
    operatorPartnersRoute,
    operatorImportRoute,
    changePasswordRoute,
    mfaRoute,
    enrollmentRoute,
    operatorEnrollmentsRoute,
    operatorMembershipsRoute,
    usersRoute,
    catalogRoute,
    apiKeysRoute,
    subscriptionsRoute,
    webhooksRoute,
    webhookEndpointRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: false,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
