import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database, DatabaseHandle } from './db/database.ts';
import type { Clock } from './platform/clock.ts';
import type { Logger } from './platform/logger.ts';
import type { Sealer } from './platform/seal.ts';
import { registerAccessControl, type GuardSwitch } from './platform/http/access.ts';
import { registerBodyParsers } from './platform/http/body-parsers.ts';
import { refuseUnstorableText } from './platform/http/nul-text.ts';
import { registerHealthRoutes } from './platform/http/health.ts';
import { serializerCompiler, zodSchemaController } from './platform/http/zod-compilers.ts';
import type { TaskGauge } from './platform/http/metrics.ts';
import { defaultInFlightLimit, registerInFlightLimit } from './platform/http/load-shedding.ts';
import { documentObject, documentRoute } from './platform/http/openapi.ts';
import { answerOptions } from './platform/http/options.ts';
import { clientErrorHandler, errorHandler, isApiUrl, problemOf, sendProblem } from './platform/http/problem.ts';
import type { App } from './platform/http/routes.ts';
import { onStaleCommit, type UnitOfWorkDeps } from './platform/unit-of-work.ts';
import { actionsThrough, registerAuditRoutes } from './modules/audit/index.ts';
import { presentSubscription, registerCommerceRoutes, subscriptionsLeftBehind } from './modules/commerce/index.ts';
import { registerCustomerAdminRoutes } from './modules/customer-admin/index.ts';
import { hasActiveRelationship, registerCustomerRoutes, type SubscriptionsLeftBehind } from './modules/customers/index.ts';
import { registerDashboardRoutes } from './modules/dashboards/index.ts';
import { registerOffboardingRoutes } from './modules/offboarding/index.ts';
import { registerEnrollmentRoutes } from './modules/enrollment/index.ts';
import { createActorResolver, createApiKeyCache, credentialsChannel, registerIdentityRoutes } from './modules/identity/index.ts';
import { proveInvitationEmail, registerInvitationRoutes } from './modules/invitations/index.ts';
import { registerNotificationRoutes } from './modules/notifications/index.ts';
import { registerOrganizationRoutes } from './modules/organizations/index.ts';
import { compatibleFrameworkErrors, registerPartnerCenterRoutes } from './modules/partner-center/index.ts';
import { findActivePartnership, registerPartnershipRoutes } from './modules/partnerships/index.ts';
import { registerDelegatedAdminRoutes } from './modules/delegated-admin/index.ts';
import { registerWebhookRoutes } from './modules/webhooks/index.ts';

export interface AppDeps {
  /** Abuse limits and trusted proxies take their defaults (none trusted) when left out. */
  /** The in-flight bound takes its default for a pool of 10 when left out. */
  config: Pick<Config, 'publicUrl' | 'smtpUrl'> & Partial<Pick<Config, 'invitationQuota' | 'guessLimit' | 'trustProxy' | 'publicUrlConfigured' | 'webhooks' | 'inFlight'>>;
  db: Database;
  clock: Clock;
  logger: Logger;
  sealer: Sealer;
  /** Called after a commit that queued outbox messages (wakes the relay). */
  onOutboxCommit?: () => void;
  /** Called when a webhook message became due now (a test event, a manual retry): wakes delivery. */
  onWebhookDue?: () => void;
  /**
   * The database's NOTIFY feed. With it, resolved API keys are cached and flushed on every
   * credential change; without it every request looks its key up.
   */
  notifications?: Pick<DatabaseHandle, 'listen'>;
  /** The readiness check (`DatabaseHandle.ping`, which never waits behind requests); without it /readyz runs `select 1` on `db`. */
  ping?: () => Promise<void>;
  /** Figures the runtime's background tasks keep, exposed at /metrics. */
  taskGauges?: readonly TaskGauge[];
  /** Test only: switches one route's guard off (AUTHZ-09). The runtime never passes it. */
  guardSwitch?: GuardSwitch;
}

/** The built portal (apps/web/dist, made by `npm start` or `npm run build -w @tierlink/web`). */
const portalRoot = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Page addresses of the portal (not /api, no file extension): the SPA answers them with index.html. */
function isPortalPath(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '';
  return !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path);
}

function sendPortal(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
}

/** Largest JSON body accepted by default; routes that import data raise it for themselves. */
export const bodyLimit = 256 * 1024;

export async function buildApp(deps: AppDeps): Promise<App> {
  const secure = deps.config.publicUrl.startsWith('https://');
  const cookieName = secure ? '__Host-tierlink_session' : 'tierlink_session';
  // Widened to Fastify's logger type so that the instance matches the shared `App` type.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    requestTimeout: 30_000,
    // Answered by the draining hook below instead, as problem+json.
    return503OnClosing: false,
    // frameworkErrorHandler, except on the compatible API's paths (its error shape).
    frameworkErrors: compatibleFrameworkErrors,
    clientErrorHandler,
    routerOptions: { maxParamLength: 200 },
    schemaController: zodSchemaController,
    // RATE-05: request.ip (what the limiters key on) is the socket's address; X-Forwarded-For is
    // believed only from the configured proxies, never from anyone else.
    trustProxy: (deps.config.trustProxy ?? []).length === 0 ? false : deps.config.trustProxy,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  const portal = existsSync(`${portalRoot}index.html`);
  app.setNotFoundHandler((request, reply) => {
    if (!isPortalPath(request)) return sendProblem(reply, problemOf('not_found', request.id, 'No such route.'));
    if (portal) return sendPortal(reply);
    return sendProblem(reply, problemOf('not_found', request.id, 'The portal is not built: `npm start` builds it, or run `npm run build -w @tierlink/web`.'));
  });
  registerBodyParsers(app);

  // Once closing, every answer also closes its connection: an idle keep-alive connection would
  // otherwise hold the shutdown for the whole keep-alive timeout (72 s) after the last request.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (draining) return sendProblem(reply, problemOf('service_unavailable', request.id, 'The server is shutting down; retry.'));
  });
  // Before every other onRequest hook: a request beyond the bound does no work at all.
  const inFlight = registerInFlightLimit(app, deps.config.inFlight ?? defaultInFlightLimit(10));
  app.addHook('onSend', async (request, reply) => {
    reply.header('Request-Id', request.id);
    // Tenant data must never sit in a shared cache.
    if (isApiUrl(request.url)) reply.header('Cache-Control', 'no-store');
    if (draining) reply.header('Connection', 'close');
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    referrerPolicy: { policy: 'no-referrer' },
    // Over plain http (local use) upgrading requests or pinning HSTS would break the portal.
    hsts: secure,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: secure ? [] : null } },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tierlink API', version: '1', description: 'Partner center for two-tier cloud distribution.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: cookieName },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: documentRoute,
    transformObject: documentObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const uow: UnitOfWorkDeps = {
    db: deps.db,
    clock: deps.clock,
    sealer: deps.sealer,
    publicUrl: deps.config.publicUrl,
    ...(deps.onOutboxCommit === undefined ? {} : { onOutboxCommit: deps.onOutboxCommit }),
  };
  const apiKeys = deps.notifications === undefined ? undefined : createApiKeyCache({ maxEntries: 10_000, ttlMs: 5 * 60_000 });
  if (apiKeys !== undefined && deps.notifications !== undefined) {
    const stopListening = await deps.notifications.listen(credentialsChannel, { onMessage: () => apiKeys.flush(), onReady: (ready) => apiKeys.setReady(ready) });
    const stopFlushing = onStaleCommit(deps.db, () => apiKeys.flush());
    app.addHook('onClose', async () => {
      stopFlushing();
      await stopListening();
    });
  }
  const resolver = createActorResolver(deps.db, deps.clock, apiKeys);
  registerAccessControl(app, {
    resolver,
    publicUrl: deps.config.publicUrl,
    anyLoopbackName: deps.config.publicUrlConfigured === false,
    cookieName,
    ...(deps.guardSwitch === undefined ? {} : { guardSwitch: deps.guardSwitch }),
  });
  refuseUnstorableText(app);
  answerOptions(app);

  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, () => app.swagger());
  // Health, readiness and metrics never wait behind work: outside the in-flight bound.
  registerHealthRoutes(app, { db: deps.db, inFlight, ...(deps.ping === undefined ? {} : { ping: deps.ping }), ...(deps.taskGauges === undefined ? {} : { taskGauges: deps.taskGauges }) });

  const guessLimit = deps.config.guessLimit;
  registerIdentityRoutes(app, { uow, cookieName, secureCookie: secure, proveInvitationEmail, ...(guessLimit === undefined ? {} : { guessLimit }) });
  registerOrganizationRoutes(app, uow);
  registerEnrollmentRoutes(app, uow, guessLimit);
  registerPartnershipRoutes(app, uow);
  const leftBehind: SubscriptionsLeftBehind = async (ctx, customerId) => (await subscriptionsLeftBehind(ctx, customerId)).map(presentSubscription);
  registerCustomerRoutes(app, uow, { subscriptionsLeftBehind: leftBehind });
  registerInvitationRoutes(app, uow, { quota: deps.config.invitationQuota, guesses: guessLimit });
  registerCommerceRoutes(app, uow);
  registerCustomerAdminRoutes(app, uow);
  // Whom a partner may ask for delegated admin: its customers, or (three-party) its reseller's.
  registerDelegatedAdminRoutes(app, uow, {
    servesCustomer: (db, partnerId, customerId) => hasActiveRelationship(db, partnerId, customerId),
    sharesThroughReseller: async (db, providerId, resellerId, customerId) =>
      (await findActivePartnership(db, providerId, resellerId)) !== undefined && (await hasActiveRelationship(db, resellerId, customerId)),
  }, actionsThrough);
  registerAuditRoutes(app, uow);
  registerDashboardRoutes(app, uow);
  registerOffboardingRoutes(app, uow);
  registerNotificationRoutes(app, uow, { mailboxEnabled: deps.config.smtpUrl === null, sealer: deps.sealer });
  // The Partner Center–compatible API (/v1, /oauth2/token): the same use cases, in Partner Center's shapes.
  await registerPartnerCenterRoutes(app, uow, {
    resolver,
    sealer: deps.sealer,
    subscriptionsLeftBehind: leftBehind,
    invitationQuota: deps.config.invitationQuota,
    guessLimit,
  });
  registerWebhookRoutes(app, uow, {
    policy: deps.config.webhooks ?? { allowPrivateNetworks: false },
    ...(deps.onWebhookDue === undefined ? {} : { onDue: deps.onWebhookDue }),
  });

  if (portal) {
    await app.register(fastifyStatic, {
      root: portalRoot,
      index: false,
      cacheControl: false,
      // Hashed bundles never change under their name; everything else is revalidated.
      setHeaders: (res, filePath) => res.setHeader('Cache-Control', filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
    // The root is a directory to the static handler; it answers with the portal like any page.
    app.get('/', { schema: { hide: true } }, (_request, reply) => sendPortal(reply));
  }

  await app.ready();
  return app;
}
