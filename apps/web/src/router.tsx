import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect, type RouteComponent } from '@tanstack/react-router';
import { AppShell } from './shell/AppShell.tsx';
import { loadMe } from './session.ts';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { HomePage, WelcomePage } from './pages/HomePage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';

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
const signUpRoute = createRoute({ getParentRoute: () => rootRoute, path: 'sign-up', component: lazyRouteComponent(() => import('./pages/SignUpPage.tsx'), 'SignUpPage') });
/** The link in invitation emails. Opening it only reads (GET preview); deciding is a POST. */
export const invitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'invitations/$id',
  validateSearch: (search: Record<string, unknown>): { token?: string } => ({ token: text(search['token']) }),
  component: lazyRouteComponent(() => import('./pages/InvitationPage.tsx'), 'InvitationPage'),
});
/** The link in the enrollment's verification email. Opening it changes nothing; verifying is a POST. */
export const verifyEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'verify-email/$id',
  validateSearch: (search: Record<string, unknown>): { token?: string } => ({ token: text(search['token']) }),
  component: lazyRouteComponent(() => import('./pages/VerifyEmailPage.tsx'), 'VerifyEmailPage'),
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

/**
 * A signed-in page. Pages other than sign-in and "/" are loaded when first visited
 * (`lazyRouteComponent`), so the first load carries only the shell and what it needs.
 */
const page = <P extends string>(path: P, component: RouteComponent) => createRoute({ getParentRoute: () => appRoute, path, component });

const homeRoute = page('/', HomePage);
const welcomeRoute = page('welcome', WelcomePage);
export const indirectProvidersRoute = page('indirect-providers', lazyRouteComponent(() => import('./pages/IndirectProvidersPage.tsx'), 'IndirectProvidersPage'));
export const sharedCustomersRoute = page('indirect-providers/$id/customers', lazyRouteComponent(() => import('./pages/SharedCustomersPage.tsx'), 'SharedCustomersPage'));
const indirectResellersRoute = page('indirect-resellers', lazyRouteComponent(() => import('./pages/IndirectResellersPage.tsx'), 'IndirectResellersPage'));
export const customersRoute = page('customers', lazyRouteComponent(() => import('./pages/CustomersPage.tsx'), 'CustomersPage'));
export const customerRoute = page('customers/$id', lazyRouteComponent(() => import('./pages/CustomerPage.tsx'), 'CustomerPage'));
export const requestRelationshipRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'customers/request',
  validateSearch: (search: Record<string, unknown>): { providerId?: string } => ({ providerId: text(search['providerId']) }),
  component: lazyRouteComponent(() => import('./pages/RequestRelationshipPage.tsx'), 'RequestRelationshipPage'),
});
const sentInvitationsRoute = page('invitations', lazyRouteComponent(() => import('./pages/SentInvitationsPage.tsx'), 'SentInvitationsPage'));
const auditRoute = page('audit', lazyRouteComponent(() => import('./pages/AuditPage.tsx'), 'AuditPage'));
const mailboxRoute = page('mailbox', lazyRouteComponent(() => import('./pages/MailboxPage.tsx'), 'MailboxPage'));
const partnersRoute = page('partners', lazyRouteComponent(() => import('./pages/PartnersPage.tsx'), 'PartnersPage'));
const operatorPartnersRoute = page('operator/partners', lazyRouteComponent(() => import('./pages/OperatorPartnersPage.tsx'), 'OperatorPartnersPage'));
const operatorImportRoute = page('operator/import', lazyRouteComponent(() => import('./pages/OperatorImportPage.tsx'), 'OperatorImportPage'));
const changePasswordRoute = page('settings/password', lazyRouteComponent(() => import('./pages/ChangePasswordPage.tsx'), 'ChangePasswordPage'));
const mfaRoute = page('settings/mfa', lazyRouteComponent(() => import('./pages/MfaPage.tsx'), 'MfaPage'));
const enrollmentRoute = page('enrollment', lazyRouteComponent(() => import('./pages/EnrollmentPage.tsx'), 'EnrollmentPage'));
const operatorEnrollmentsRoute = page('operator/enrollments', lazyRouteComponent(() => import('./pages/OperatorEnrollmentsPage.tsx'), 'OperatorEnrollmentsPage'));
const operatorMembershipsRoute = page('operator/memberships', lazyRouteComponent(() => import('./pages/OperatorMembershipsPage.tsx'), 'OperatorMembershipsPage'));
const usersRoute = page('settings/users', lazyRouteComponent(() => import('./pages/UsersPage.tsx'), 'UsersPage'));
const catalogRoute = page('catalog', lazyRouteComponent(() => import('./pages/CatalogPage.tsx'), 'CatalogPage'));
const apiKeysRoute = page('settings/api-keys', lazyRouteComponent(() => import('./pages/ApiKeysPage.tsx'), 'ApiKeysPage'));
const subscriptionsRoute = page('subscriptions', lazyRouteComponent(() => import('./pages/SubscriptionsPage.tsx'), 'SubscriptionsPage'));
const ordersRoute = page('orders', lazyRouteComponent(() => import('./pages/PartnerOrdersPage.tsx'), 'PartnerOrdersPage'));
const webhooksRoute = page('settings/webhooks', lazyRouteComponent(() => import('./pages/WebhooksPage.tsx'), 'WebhooksPage'));
const delegatedAdminRoute = page('delegated-admin', lazyRouteComponent(() => import('./pages/DelegatedAdminPage.tsx'), 'DelegatedAdminPage'));
/** A partner's access to the customer's organization, traced (the customer admin center). */
const partnerAccessRoute = page('partners/$id/access', lazyRouteComponent(() => import('./pages/PartnerAccessPage.tsx'), 'PartnerAccessPage'));
/** The approval link in the customer's email; signed out, the app route leads to sign-in and back. Opening it only reads. */
export const delegatedAdminRelationshipRoute = page('delegated-admin/$id', lazyRouteComponent(() => import('./pages/DelegatedAdminRelationshipPage.tsx'), 'DelegatedAdminRelationshipPage'));
const webhookEndpointRoute = page('settings/webhooks/$id', lazyRouteComponent(() => import('./pages/WebhookEndpointPage.tsx'), 'WebhookEndpointPage'));
/** One-step offboarding of a reseller, a provider or a customer (`kind`: the API's collection). */
const offboardingRoute = page('offboarding/$kind/$id', lazyRouteComponent(() => import('./pages/OffboardingPage.tsx'), 'OffboardingPage'));

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
    ordersRoute,
    webhooksRoute,
    webhookEndpointRoute,
    offboardingRoute,
    delegatedAdminRoute,
    delegatedAdminRelationshipRoute,
    partnerAccessRoute,
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
