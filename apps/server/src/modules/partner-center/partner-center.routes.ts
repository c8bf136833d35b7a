import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateCustomerInvitationBody, defaultPageSize, Id, IdParams, type PlaceOrderBody as NativeOrderBody } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { runAsActor, runAsActorInOneStatement, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps, UseCaseContext } from '../../platform/unit-of-work.ts';
import { getSubscription, listOrders, listSubscriptions, placeOrder, presentOrder, presentSubscription, updateSubscription } from '../commerce/index.ts';
import { assignLicense, createCustomerUser, listCustomerUsers, removeCustomerUser, removeLicense, type CustomerUserView } from '../customer-admin/index.ts';
import {
  getCustomer,
  hasActiveRelationship,
  listCustomers,
  listSharedCustomers,
  presentCustomer,
  removeRelationship,
  type CustomerPage,
  type SubscriptionsLeftBehind,
} from '../customers/index.ts';
import { revokeDelegatedAdmin } from '../delegated-admin/index.ts';
import { listEnrollments, presentEnrollment } from '../enrollment/index.ts';
import { countedGuess, defaultGuessLimit, findOrganization, type ApiKeyActorResolver, type GuessLimit } from '../identity/index.ts';
import { createCustomerInvitation, type InvitationQuota } from '../invitations/index.ts';
import { profilesByMembershipId, profilesOfOrganizations } from '../organizations/index.ts';
import { activePartnerIds, listPartnerships, type PartnershipListItem } from '../partnerships/index.ts';
import type { Sealer } from '../../platform/seal.ts';
import { openAccessToken } from './access-token.ts';
import { registerGraphNotFound, registerGraphRoutes } from './graph.routes.ts';
import { issueAccessToken } from './issue-access-token.ts';
import { oauthResponses, pcResponses, registerBearerAuthentication, registerCompatibleHooks, registerNotFound } from './partner-center.http.ts';
import {
  collectionOf,
  presentLegalBusinessProfile,
  presentMpnProfile,
  presentDirectoryRoles,
  presentPartnerRelationship,
  presentPatchedSubscription,
  presentPcCustomer,
  presentPcCustomerUser,
  presentPcLicenses,
  presentPcOrder,
  presentPcSubscription,
  presentSubscribedSku,
  type MembershipIds,
} from './partner-center.presenter.ts';
import {
  AgreementQuery,
  AgreementStatus,
  collection,
  ContinuationHeaders,
  CreateUserBody,
  CustomerListQuery,
  DirectoryRole,
  IfMatchHeaders,
  LegalBusinessProfile,
  LicenseUpdateBody,
  MpnProfile,
  MpnQuery,
  PartnerRelationship,
  PatchCustomerBody,
  PatchSubscriptionBody,
  PcCreatedCustomerUser,
  PcCustomer,
  PcCustomerUser,
  PcLicense,
  PcLicenseUpdate,
  PcOrder,
  PcRemovedCustomer,
  PcSubscription,
  PcSubscriptionPascal,
  PlaceOrderBody,
  RelationshipRequest,
  RelationshipRequestBody,
  RelationshipsQuery,
  RequestIdHeaders,
  SubscribedSku,
  SubscriptionListQuery,
  TokenAnswer,
  TokenBody,
} from './partner-center.schemas.ts';

export interface PartnerCenterOptions {
  resolver: ApiKeyActorResolver;
  sealer: Sealer;
  subscriptionsLeftBehind: SubscriptionsLeftBehind;
  invitationQuota?: InvitationQuota | undefined;
  guessLimit?: GuessLimit | undefined;
}

const tags = ['Partner Center compatible'];
const CustomerParams = IdParams;
const OrderParams = z.object({ id: Id, orderId: Id }).strict();
const SubscriptionParams = z.object({ id: Id, sid: Id }).strict();
const UserParams = z.object({ id: Id, uid: Id }).strict();

/** A Partner Center FieldFilter (`{"Field":"CompanyName","Value":"con","Operator":"starts_with"}`), URL-encoded JSON. */
const FieldFilter = z.object({ Field: z.string(), Value: z.string().min(1).max(253), Operator: z.literal('starts_with') });

function parseFilter(text: string | undefined, fields: readonly string[]): { field: string; value: string } | null {
  if (text === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', 'filter: must be a JSON FieldFilter such as {"Field":"CompanyName","Value":"con","Operator":"starts_with"}', 'filter');
  }
  const parsed = FieldFilter.safeParse(json);
  if (!parsed.success) throw new AppError('validation_failed', 'filter: needs Field, Value and Operator "starts_with"', 'filter');
  const field = fields.find((f) => f.toLowerCase() === parsed.data.Field.toLowerCase());
  if (field === undefined) throw new AppError('validation_failed', `filter: Field must be one of ${fields.join(', ')}`, 'filter');
  return { field, value: parsed.data.Value };
}

/** Membership ids of these organizations (an approved profile's first). */
async function membershipIdsOf(tx: Executor, organizationIds: readonly string[]): Promise<MembershipIds> {
  const profiles = await profilesOfOrganizations(tx, [...new Set(organizationIds)]);
  const ids = new Map<string, string>();
  for (const p of [...profiles].sort((a, b) => Number(b.state === 'approved') - Number(a.state === 'approved'))) {
    if (p.membershipId !== null && !ids.has(p.organizationId)) ids.set(p.organizationId, p.membershipId);
  }
  return ids;
}

/**
 * The organizations with this membership id that the caller may see: itself and its active
 * partners (either side). Others are not found, as every object the caller may not see.
 */
async function visibleProfilesByMembershipId(ctx: UseCaseContext, membershipId: string) {
  const me = ctx.actor.organizationId;
  const profiles = await profilesByMembershipId(ctx.tx, membershipId);
  if (profiles.length === 0) return [];
  const visible = new Set([me, ...(await activePartnerIds(ctx.tx, 'provider', me)), ...(await activePartnerIds(ctx.tx, 'reseller', me))]);
  return profiles.filter((p) => visible.has(p.organizationId));
}

/** PartnerIdOnRecord names the reseller by membership id: an approved indirect reseller partnered with the caller. */
async function resellerByMembershipId(ctx: UseCaseContext, membershipId: string): Promise<string> {
  const reseller = (await visibleProfilesByMembershipId(ctx, membershipId)).find((p) => p.program === 'indirect_reseller' && p.state === 'approved');
  if (reseller === undefined) throw new AppError('partner_of_record_required', `MPN ID ${membershipId} is not a valid Indirect Reseller of yours.`, 'lineItems.partnerIdOnRecord');
  return reseller.organizationId;
}

/** Every page of the caller's partnerships of one side: Partner Center answers the whole list at once. */
async function allPartnerships(ctx: UseCaseContext, side: 'provider' | 'reseller', name?: string): Promise<PartnershipListItem[]> {
  const all: PartnershipListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listPartnerships(ctx, side, { limit: 200, cursor, name });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return all;
}

/** The customer organization's id and country, once delegated admin let the caller in. */
async function customerOf(ctx: UseCaseContext, customerId: string): Promise<{ id: string; country: string }> {
  const organization = await findOrganization(ctx.tx, customerId);
  if (organization === undefined) throw notFound('customer');
  return { id: organization.id, country: organization.country };
}

/** One user of the customer, read with the same delegated access as the list (404 for anyone else's). */
async function customerUserOf(ctx: UseCaseContext, customerId: string, userId: string): Promise<CustomerUserView> {
  const user = (await listCustomerUsers(ctx, customerId)).find((u) => u.user.id === userId);
  if (user === undefined) throw notFound('user');
  return user;
}

const uriOf = (path: string, query: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
};

export async function registerPartnerCenterRoutes(app: App, uow: UnitOfWorkDeps, options: PartnerCenterOptions): Promise<void> {
  const resolver = {
    fromApiKey: (secret: string) => options.resolver.fromApiKey(secret),
    fromAccessToken: async (token: string) => {
      const claims = openAccessToken(options.sealer, token, uow.clock.now());
      if (claims === null) return null;
      const actor = await options.resolver.fromApiKeyHash(claims.secretHash);
      return actor !== null && actor.apiKeyId === claims.apiKeyId ? actor : null;
    },
  };

  // The token endpoint: form-encoded (RFC 6749 §4.4.2), client credentials in the body or as HTTP Basic.
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    registerCompatibleHooks(scope, 'oauth');
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
    });
    scope.post(
      '/oauth2/token',
      {
        schema: {
          tags,
          summary: 'OAuth 2.0 client credentials: client_id = API key id, client_secret = the key → a bearer token for /v1 (one hour)',
          body: TokenBody,
          response: oauthResponses({ 200: TokenAnswer }, ['invalid_credentials', 'rate_limited']),
        },
        config: { access: 'public' },
      },
      async (request, reply) => {
        const body = request.body;
        if (body.grant_type !== 'client_credentials') throw new AppError('validation_failed', 'grant_type: only client_credentials is supported', 'grant_type');
        const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '')?.[1];
        const [basicId, basicSecret] = basic === undefined ? [] : Buffer.from(basic, 'base64').toString('utf8').split(':', 2).map(decodeURIComponent);
        const clientId = body.client_id ?? basicId ?? '';
        const clientSecret = body.client_secret ?? basicSecret ?? '';
        const limit = options.guessLimit ?? defaultGuessLimit;
        // Wrong credentials count against the address like wrong passwords (RATE-03).
        // No transaction: the key is resolved as on every request, by the actor resolver on its own connection.
        const answer = await countedGuess(uow.db, { ip: request.ip, now: uow.clock.now() }, limit, (e) => e.code === 'invalid_credentials', () =>
          issueAccessToken({ clock: uow.clock, sealer: options.sealer, fromApiKey: resolver.fromApiKey }, { clientId, clientSecret }),
        );
        return reply.header('Cache-Control', 'no-store').send(answer);
      },
    );
  });

  await app.register(
    async (plain) => {
      const scope = plain.withTypeProvider<ZodTypeProvider>();
      registerBearerAuthentication(scope, resolver);
      registerCompatibleHooks(scope, 'partner_center');
      registerNotFound(scope);
      registerFacadeRoutes(scope, uow, options);
    },
    { prefix: '/v1' },
  );

  // Graph's delegated admin relationships (reference §12): the same credentials, Graph's error shape.
  await app.register(
    async (plain) => {
      const scope = plain.withTypeProvider<ZodTypeProvider>();
      registerBearerAuthentication(scope, resolver);
      registerCompatibleHooks(scope, 'graph');
      registerGraphNotFound(scope);
      registerGraphRoutes(scope, uow);
    },
    { prefix: '/v1.0/tenantRelationships' },
  );
}

function registerFacadeRoutes(scope: App, uow: UnitOfWorkDeps, options: PartnerCenterOptions): void {
  const now = () => uow.clock.now();

  // ---- Partner relationships (reference §4) ----
  scope.get(
    '/relationships',
    {
      schema: {
        tags,
        summary: 'Indirect resellers (relationship_type=IsIndirectCloudSolutionProviderOf) or indirect providers (IsIndirectResellerOf) of the caller; filter on Name with starts_with',
        querystring: RelationshipsQuery,
        response: pcResponses({ 200: collection(PartnerRelationship, 'PcPartnerRelationships') }),
      },
      config: { access: 'partnerships.read' },
    },
    async (request) => {
      const side = request.query.relationship_type === 'IsIndirectCloudSolutionProviderOf' ? 'provider' : 'reseller';
      const name = parseFilter(request.query.filter, ['Name'])?.value;
      const items = await runAsActor(uow, request, async (ctx) => {
        const all = await allPartnerships(ctx, side, name);
        const mpnIds = await membershipIdsOf(ctx.tx, all.map((i) => (side === 'provider' ? i.view.reseller.id : i.view.provider.id)));
        return all.map((i) => presentPartnerRelationship(i, side, mpnIds));
      });
      return collectionOf(items, uriOf('/relationships', { relationship_type: request.query.relationship_type, filter: request.query.filter }));
    },
  );

  // ---- Customers (reference §5–§7) ----
  scope.get(
    '/customers',
    {
      schema: {
        tags,
        summary: 'The caller\'s customers: size, filter (CompanyName, Domain, IndirectCloudSolutionProvider with starts_with), seekOperation=Next with MS-ContinuationToken',
        querystring: CustomerListQuery,
        headers: ContinuationHeaders,
        response: pcResponses({ 200: collection(PcCustomer, 'PcCustomers') }, ['not_found']),
      },
      config: { access: 'customers.read' },
    },
    async (request) => {
      const { size, filter, seekOperation } = request.query;
      const limit = size === 0 ? defaultPageSize : size;
      const cursor = seekOperation === 'Next' ? request.headers['ms-continuationtoken'] : undefined;
      if (seekOperation === 'Next' && (cursor === undefined || cursor === '')) {
        throw new AppError('validation_failed', 'MS-ContinuationToken: required with seekOperation=Next', 'MS-ContinuationToken');
      }
      const parsed = parseFilter(filter, ['CompanyName', 'Domain', 'IndirectCloudSolutionProvider', 'IndirectReseller']);
      if (parsed?.field === 'IndirectReseller') {
        throw new AppError('validation_failed', 'filter: IndirectReseller is not supported: a provider sees only the customers it has a relationship with itself', 'filter');
      }
      const query = {
        limit,
        cursor,
        ...(parsed?.field === 'CompanyName' ? { name: parsed.value } : {}),
        ...(parsed?.field === 'Domain' ? { search: parsed.value } : {}),
      };
      const page: CustomerPage = await runAsActor(uow, request, (ctx) => {
        if (parsed?.field !== 'IndirectCloudSolutionProvider') return listCustomers(ctx, query);
        if (!Id.safeParse(parsed.value).success) throw new AppError('validation_failed', 'filter: IndirectCloudSolutionProvider takes the provider\'s tenant id', 'filter');
        return listSharedCustomers(ctx, parsed.value, query);
      });
      const items = page.items.map((view) => presentPcCustomer(presentCustomer(view, page.grants, now()), false));
      const next = page.nextCursor === null ? undefined : { uri: uriOf('/customers', { size: limit, filter, seekOperation: 'Next' }), token: page.nextCursor };
      return collectionOf(items, uriOf('/customers', { size: limit, filter }), next);
    },
  );

  scope.get(
    '/customers/:id',
    {
      schema: { tags, summary: 'One customer of the caller (with allowDelegatedAccess)', params: CustomerParams, response: pcResponses({ 200: PcCustomer }) },
      config: { access: 'customers.read', pcResource: 'customer' },
    },
    async (request) => {
      const { view, grants } = await runAsActor(uow, request, (ctx) => getCustomer(ctx, request.params.id));
      return presentPcCustomer(presentCustomer(view, grants, now()), true);
    },
  );

  scope.patch(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: 'RelationshipToPartner "none" removes the reseller relationship (Attestation true required); AllowDelegatedAccess false revokes only the caller\'s delegated admin',
        params: CustomerParams,
        body: PatchCustomerBody,
        response: pcResponses({ 200: PcRemovedCustomer }, ['attestation_required', 'grant_not_active']),
      },
      config: { access: 'customers.remove', pcResource: 'customer' },
    },
    async (request) => {
      const customerId = request.params.id;
      const body = request.body;
      await runAsActor(uow, request, async (ctx) => {
        if (body.relationshipToPartner === 'none') {
          await removeRelationship(
            ctx,
            customerId,
            { attestation: body.attestation ?? false, revokeDelegatedAdmin: body.allowDelegatedAccess === false, notifyCustomer: false },
            options.subscriptionsLeftBehind,
          );
          return;
        }
        const { grants } = await getCustomer(ctx, customerId);
        for (const g of grants) await revokeDelegatedAdmin(ctx, g.grant.id, { partnerOrganizationId: ctx.actor.organizationId, organizationId: customerId });
      });
      const removed = body.relationshipToPartner === 'none';
      return {
        Id: null,
        CommerceId: null,
        CompanyProfile: null,
        BillingProfile: null,
        RelationshipToPartner: removed ? ('none' as const) : ('reseller' as const),
        // The documented removal answer leaves it null; removing delegated admin only answers false.
        AllowDelegatedAccess: removed ? null : false,
        UserCredentials: null,
        CustomDomains: null,
        AssociatedPartnerId: null,
        Attributes: { ObjectType: 'Customer' as const },
      };
    },
  );

  scope.get(
    '/customers/:id/relationships',
    {
      schema: {
        tags,
        summary: 'The caller\'s partners (indirect resellers or providers) that also have a relationship with this customer',
        params: CustomerParams,
        response: pcResponses({ 200: collection(PartnerRelationship, 'PcCustomerPartnerRelationships') }),
      },
      config: { access: 'customers.read', pcResource: 'customer' },
    },
    async (request) => {
      const customerId = request.params.id;
      const items = await runAsActor(uow, request, async (ctx) => {
        // Visible only through the caller's own relationship with the customer.
        await getCustomer(ctx, customerId);
        const result = [];
        for (const side of ['provider', 'reseller'] as const) {
          const all = await allPartnerships(ctx, side);
          const other = (i: PartnershipListItem) => (side === 'provider' ? i.view.reseller.id : i.view.provider.id);
          const related: PartnershipListItem[] = [];
          for (const item of all) if (await hasActiveRelationship(ctx.tx, other(item), customerId)) related.push(item);
          const mpnIds = await membershipIdsOf(ctx.tx, related.map(other));
          result.push(...related.map((i) => presentPartnerRelationship(i, side, mpnIds)));
        }
        return result;
      });
      return collectionOf(items, `/customers/${customerId}/relationships`);
    },
  );

  scope.post(
    '/customers/relationshiprequests',
    {
      schema: {
        tags,
        summary: 'Tierlink: a personal, single-use reseller relationship request link for the invitee\'s Email (joint with IndirectCloudSolutionProviderId)',
        body: RelationshipRequestBody,
        response: pcResponses({ 201: RelationshipRequest }, ['not_found', 'invitation_quota_exceeded']),
      },
      config: { access: 'customers.invite' },
    },
    async (request, reply) => {
      const input = CreateCustomerInvitationBody.parse({
        email: request.body.email,
        ...(request.body.indirectCloudSolutionProviderId === undefined ? {} : { indirectProviderId: request.body.indirectCloudSolutionProviderId }),
      });
      const issued = await runAsActor(uow, request, (ctx) => createCustomerInvitation(ctx, input, options.invitationQuota));
      return reply.code(201).send({ url: issued.email.link, attributes: { objectType: 'RelationshipRequest' as const } });
    },
  );

  // ---- Orders (reference §8) ----
  scope.post(
    '/customers/:id/orders',
    {
      schema: {
        tags,
        summary: 'Order for a customer; MS-RequestId is the idempotency key; PartnerIdOnRecord names the reseller of record by MPN ID',
        params: CustomerParams,
        headers: RequestIdHeaders,
        body: PlaceOrderBody,
        response: pcResponses({ 201: PcOrder }, [
          'idempotency_key_required',
          'partner_of_record_required',
          'idempotency_in_progress',
          'relationship_not_active',
          'idempotency_key_reused',
          'credit_limit_exceeded',
          'currency_mismatch',
          'quantity_out_of_range',
          'billing_cycle_unavailable',
        ]),
      },
      config: { access: 'orders.place', pcResource: 'customer' },
    },
    async (request, reply) => {
      const key = request.headers['ms-requestid'];
      if (key === undefined || key === '') throw new AppError('idempotency_key_required', 'Send an MS-RequestId header with every order; retry with the same value.', 'MS-RequestId');
      const body = request.body;
      if (body.referenceCustomerId !== undefined && body.referenceCustomerId !== request.params.id) {
        throw new AppError('validation_failed', 'referenceCustomerId: must be the customer of the path', 'referenceCustomerId');
      }
      const onRecord = [...new Set(body.lineItems.map((l) => l.partnerIdOnRecord).filter((p) => p !== undefined))];
      if (onRecord.length > 1) throw new AppError('validation_failed', 'lineItems: one PartnerIdOnRecord per order', 'lineItems.partnerIdOnRecord');
      const result = await runAsActor(uow, request, async (ctx) => {
        const [mpnId] = onRecord;
        const native: NativeOrderBody = {
          lines: body.lineItems.map((l) => ({ skuId: l.offerId, quantity: l.quantity, billingCycle: body.billingCycle })),
          ...(mpnId === undefined ? {} : { resellerId: await resellerByMembershipId(ctx, mpnId) }),
          ...(body.indirectCloudSolutionProviderId === undefined ? {} : { providerId: body.indirectCloudSolutionProviderId }),
        };
        const placed = await placeOrder(ctx, request.params.id, native, key);
        const order = presentOrder(placed.order);
        return { order, replayed: placed.replayed, mpnIds: await membershipIdsOf(ctx.tx, order.reseller === null ? [] : [order.reseller.id]) };
      });
      if (result.replayed) reply.header('Idempotent-Replayed', 'true');
      return reply.code(201).send(presentPcOrder(result.order, result.mpnIds));
    },
  );

  scope.get(
    '/customers/:id/orders',
    {
      schema: { tags, summary: 'Orders of a customer that the caller is party to', params: CustomerParams, response: pcResponses({ 200: collection(PcOrder, 'PcOrders') }) },
      config: { access: 'subscriptions.read', pcResource: 'customer' },
    },
    async (request) => {
      const { orders, mpnIds } = await runAsActor(uow, request, async (ctx) => {
        const list = (await listOrders(ctx, request.params.id)).map(presentOrder);
        return { orders: list, mpnIds: await membershipIdsOf(ctx.tx, list.flatMap((o) => (o.reseller === null ? [] : [o.reseller.id]))) };
      });
      return collectionOf(
        orders.map((o) => presentPcOrder(o, mpnIds)),
        `/customers/${request.params.id}/orders`,
      );
    },
  );

  scope.get(
    '/customers/:id/orders/:orderId',
    {
      schema: { tags, summary: 'One order of a customer', params: OrderParams, response: pcResponses({ 200: PcOrder }) },
      config: { access: 'subscriptions.read', pcResource: 'order' },
    },
    async (request) => {
      const { order, mpnIds } = await runAsActor(uow, request, async (ctx) => {
        const found = (await listOrders(ctx, request.params.id)).map(presentOrder).find((o) => o.id === request.params.orderId);
        if (found === undefined) throw notFound('order');
        return { order: found, mpnIds: await membershipIdsOf(ctx.tx, found.reseller === null ? [] : [found.reseller.id]) };
      });
      return presentPcOrder(order, mpnIds);
    },
  );

  // ---- Subscriptions (reference §8) ----
  scope.get(
    '/customers/:id/subscriptions',
    {
      schema: {
        tags,
        summary: 'Subscriptions of a customer that the caller is party to; mpn_id keeps those whose reseller of record has that MPN ID',
        params: CustomerParams,
        querystring: SubscriptionListQuery,
        response: pcResponses({ 200: collection(PcSubscription, 'PcSubscriptions') }),
      },
      config: { access: 'subscriptions.read', pcResource: 'customer' },
    },
    async (request) => {
      const mpn = request.query.mpn_id;
      const { subscriptions, mpnIds } = await runAsActor(uow, request, async (ctx) => {
        let list = (await listSubscriptions(ctx, request.params.id)).map(presentSubscription);
        if (mpn !== undefined) {
          const resellers = new Set((await visibleProfilesByMembershipId(ctx, mpn)).map((p) => p.organizationId));
          list = list.filter((s) => s.reseller !== null && resellers.has(s.reseller.id));
        }
        return { subscriptions: list, mpnIds: await membershipIdsOf(ctx.tx, list.flatMap((s) => (s.reseller === null ? [] : [s.reseller.id]))) };
      });
      return collectionOf(
        subscriptions.map((s) => presentPcSubscription(s, mpnIds)),
        uriOf(`/customers/${request.params.id}/subscriptions`, { mpn_id: mpn }),
      );
    },
  );

  scope.get(
    '/customers/:id/subscriptions/:sid',
    {
      schema: { tags, summary: 'One subscription, with attributes.etag', params: SubscriptionParams, response: pcResponses({ 200: PcSubscription }) },
      config: { access: 'subscriptions.read', pcResource: 'subscription' },
    },
    async (request) => {
      const { subscription, mpnIds } = await runAsActor(uow, request, async (ctx) => {
        const s = presentSubscription(await getSubscription(ctx, request.params.id, request.params.sid));
        return { subscription: s, mpnIds: await membershipIdsOf(ctx.tx, s.reseller === null ? [] : [s.reseller.id]) };
      });
      return presentPcSubscription(subscription, mpnIds);
    },
  );

  scope.patch(
    '/customers/:id/subscriptions/:sid',
    {
      schema: {
        tags,
        summary: 'Change Quantity or Status (active/suspended); If-Match with attributes.etag required; answered in PascalCase as documented',
        params: SubscriptionParams,
        headers: IfMatchHeaders,
        body: PatchSubscriptionBody,
        response: pcResponses({ 200: PcSubscriptionPascal }, ['seats_in_use', 'precondition_failed', 'quantity_out_of_range', 'precondition_required']),
      },
      config: { access: 'subscriptions.manage', pcResource: 'subscription' },
    },
    async (request, reply) => {
      const { quantity, status } = request.body;
      const change = { ...(quantity === undefined ? {} : { quantity }), ...(status === undefined ? {} : { status }) };
      const { subscription, mpnIds } = await runAsActorInOneStatement(uow, request, async (ctx) => {
        const s = presentSubscription(await updateSubscription(ctx, request.params.id, request.params.sid, change, request.headers['if-match']));
        return { subscription: s, mpnIds: await membershipIdsOf(ctx.tx, s.reseller === null ? [] : [s.reseller.id]) };
      });
      return reply.header('ETag', subscription.etag).send(presentPatchedSubscription(subscription, mpnIds));
    },
  );

  // ---- Customer users and licenses, through delegated admin (reference §9) ----
  scope.get(
    '/customers/:id/users',
    {
      schema: { tags, summary: 'Users of a customer organization (delegated admin)', params: CustomerParams, response: pcResponses({ 200: collection(PcCustomerUser, 'PcCustomerUsers') }) },
      config: { access: 'customer_users.manage', pcResource: 'customer' },
    },
    async (request) => {
      const { users, customer } = await runAsActor(uow, request, async (ctx) => ({
        users: await listCustomerUsers(ctx, request.params.id),
        customer: await customerOf(ctx, request.params.id),
      }));
      return collectionOf(
        users.map((u) => presentPcCustomerUser(customer, u)),
        `/customers/${request.params.id}/users`,
      );
    },
  );

  scope.post(
    '/customers/:id/users',
    {
      schema: {
        tags,
        summary: 'Add a user to a customer organization (delegated admin); Tierlink chooses the first password, shown once in passwordProfile',
        params: CustomerParams,
        body: CreateUserBody,
        response: pcResponses({ 200: PcCreatedCustomerUser }, ['role_ceiling', 'email_taken']),
      },
      config: { access: 'customer_users.manage', pcResource: 'customer' },
    },
    async (request) => {
      const body = request.body;
      const { created, customer } = await runAsActor(uow, request, async (ctx) => ({
        created: await createCustomerUser(ctx, request.params.id, { displayName: body.displayName, email: body.userPrincipalName }),
        customer: await customerOf(ctx, request.params.id),
      }));
      // Partner Center documents 200 here, not 201 (reference §14.7).
      return {
        ...presentPcCustomerUser(customer, created.view),
        ...(body.immutableId === undefined ? {} : { immutableId: body.immutableId }),
        passwordProfile: { password: created.temporaryPassword, forceChangePassword: true as const },
      };
    },
  );

  scope.get(
    '/customers/:id/subscribedskus',
    {
      schema: {
        tags,
        summary: 'The customer\'s seat pools: each subscription the caller is party to as a SubscribedSku (productSku.id = subscription id)',
        params: CustomerParams,
        response: pcResponses({ 200: collection(SubscribedSku, 'PcSubscribedSkus') }),
      },
      config: { access: 'subscriptions.read', pcResource: 'customer' },
    },
    async (request) => {
      const subscriptions = await runAsActor(uow, request, (ctx) => listSubscriptions(ctx, request.params.id));
      return collectionOf(subscriptions.map(presentSubscription).map(presentSubscribedSku), `/customers/${request.params.id}/subscribedskus`);
    },
  );

  scope.get(
    '/customers/:id/users/:uid/licenses',
    {
      schema: { tags, summary: 'Licenses (seats) of a customer user (delegated admin)', params: UserParams, response: pcResponses({ 200: collection(PcLicense, 'PcLicenses') }) },
      config: { access: 'customer_users.manage', pcResource: 'user' },
    },
    async (request) => {
      const user = await runAsActor(uow, request, (ctx) => customerUserOf(ctx, request.params.id, request.params.uid));
      return collectionOf(presentPcLicenses(user), `/customers/${request.params.id}/users/${request.params.uid}/licenses`);
    },
  );

  scope.delete(
    '/customers/:id/users/:uid',
    {
      schema: {
        tags,
        summary: 'Remove a customer user without directory roles (delegated admin: user_admin); admins answer 403',
        params: UserParams,
        response: pcResponses({ 204: z.null() }, ['customer_admin_protected']),
      },
      config: { access: 'customer_users.manage', pcResource: 'user' },
    },
    async (request, reply) => {
      await runAsActor(uow, request, (ctx) => removeCustomerUser(ctx, request.params.id, request.params.uid));
      return reply.code(204).send(null);
    },
  );

  scope.get(
    '/customers/:id/users/:uid/directoryroles',
    {
      schema: {
        tags,
        summary: 'Directory roles of a customer user, as Entra role templates (delegated admin, as listing users)',
        params: UserParams,
        response: pcResponses({ 200: collection(DirectoryRole, 'PcDirectoryRoles') }),
      },
      config: { access: 'customer_users.manage', pcResource: 'user' },
    },
    async (request) => {
      const user = await runAsActor(uow, request, (ctx) => customerUserOf(ctx, request.params.id, request.params.uid));
      return collectionOf(presentDirectoryRoles(user), `/customers/${request.params.id}/users/${request.params.uid}/directoryroles`);
    },
  );

  scope.post(
    '/customers/:id/users/:uid/licenseupdates',
    {
      schema: {
        tags,
        summary: 'Assign (LicensesToAssign[].SkuId) and remove (LicensesToRemove) seats of subscriptions (delegated admin)',
        params: UserParams,
        body: LicenseUpdateBody,
        response: pcResponses({ 201: PcLicenseUpdate }, ['seats_exhausted']),
      },
      config: { access: 'customer_users.manage', pcResource: 'user' },
    },
    async (request, reply) => {
      const { id, uid } = request.params;
      const assign = request.body.licensesToAssign.map((l) => l.skuId);
      const remove = request.body.licensesToRemove ?? [];
      if (assign.length + remove.length === 0) throw new AppError('validation_failed', 'licensesToAssign: assign or remove at least one license', 'licensesToAssign');
      // One transaction: every change of the update or none.
      await runAsActor(uow, request, async (ctx) => {
        for (const sid of remove) await removeLicense(ctx, id, uid, sid);
        for (const sid of assign) await assignLicense(ctx, id, uid, sid);
      });
      return reply.code(201).send({
        licensesToAssign: assign.map((skuId) => ({ skuId, excludedPlans: [] })),
        licensesToRemove: remove,
        licenseWarnings: [],
        attributes: { objectType: 'LicenseUpdate' as const },
      });
    },
  );

  // ---- Partner profile (reference §10) ----
  scope.get(
    '/profiles/legalbusiness',
    {
      schema: { tags, summary: 'The caller\'s legal business profile and vetting status (its enrollment)', response: pcResponses({ 200: LegalBusinessProfile }, ['not_found']) },
      config: { access: 'organization.read', pcResource: 'partner' },
    },
    async (request) => {
      const { enrollment, country } = await runAsActor(uow, request, async (ctx) => {
        const items = (await listEnrollments(ctx, { limit: 10 }, true)).items.map(presentEnrollment);
        const chosen = items.find((e) => e.state === 'approved') ?? items[0];
        if (chosen === undefined) throw notFound('partner profile');
        return { enrollment: chosen, country: (await findOrganization(ctx.tx, ctx.actor.organizationId))?.country ?? '' };
      });
      return presentLegalBusinessProfile(enrollment, country);
    },
  );

  scope.get(
    '/profiles/mpn',
    {
      schema: { tags, summary: 'An MPN profile: the caller\'s own, or (mpnId) its own or an active partner\'s', querystring: MpnQuery, response: pcResponses({ 200: MpnProfile }, ['not_found']) },
      config: { access: 'organization.read', pcResource: 'partner' },
    },
    async (request) => {
      const { name, mpnId } = await runAsActor(uow, request, async (ctx) => {
        const wanted = request.query.mpnId;
        const profile =
          wanted === undefined
            ? (await profilesOfOrganizations(ctx.tx, [ctx.actor.organizationId])).find((p) => p.membershipId !== null)
            : (await visibleProfilesByMembershipId(ctx, wanted))[0];
        if (profile?.membershipId === undefined || profile.membershipId === null) throw notFound(`partner organization with MPN ID ${wanted ?? ''}`.trim());
        const organization = await findOrganization(ctx.tx, profile.organizationId);
        return { name: organization?.name ?? '', mpnId: profile.membershipId };
      });
      return presentMpnProfile(name, mpnId);
    },
  );

  scope.get(
    '/compliance/csp/agreementstatus',
    {
      schema: {
        tags,
        summary: 'Whether an indirect reseller (by MPN ID, the caller or an active partner) has accepted the program agreement: its enrollment is approved',
        querystring: AgreementQuery,
        response: pcResponses({ 200: AgreementStatus }, ['not_found']),
      },
      config: { access: 'partnerships.read', pcResource: 'partner' },
    },
    async (request) => {
      const signed = await runAsActor(uow, request, async (ctx) => {
        const profiles = await visibleProfilesByMembershipId(ctx, request.query.mpnid);
        if (profiles.length === 0) throw notFound(`partner organization with MPN ID ${request.query.mpnid}`);
        return profiles.some((p) => p.program === 'indirect_reseller' && p.state === 'approved');
      });
      return { isAgreementSigned: signed };
    },
  );

}
