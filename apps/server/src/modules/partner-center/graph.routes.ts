import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { IdParams, type AutoExtendDuration, type DelegatedRole, type ErrorCode, type RelationshipState } from '@tierlink/contract';
import { AppError, notFound } from '../../platform/errors.ts';
import { runAsActor, withDeclaredErrors, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps, UseCaseContext } from '../../platform/unit-of-work.ts';
import { hasActiveRelationship } from '../customers/index.ts';
import {
  approveRelationship,
  createRelationship,
  deleteRelationshipDraft,
  findRelationshipView,
  getRelationship,
  listRelationships,
  lockForApproval,
  rejectRelationship,
  terminateRelationship,
  updateRelationshipDraft,
  type GrantRow,
  type RequestReach,
  type RelationshipView,
} from '../delegated-admin/index.ts';
import { findActivePartnership } from '../partnerships/index.ts';
import { graphCode } from './graph.errors.ts';
import {
  graphBase,
  graphEtag,
  nativeEtag,
  nativeStateOf,
  presentAccessAssignment,
  presentGraphRelationship,
  presentGraphRequest,
  requestsOf,
  roleOfDefinitionId,
} from './graph.presenter.ts';
import {
  CreateGraphRelationshipBody,
  GraphAccessAssignment,
  graphCollection,
  GraphError,
  GraphIfMatchHeaders,
  GraphListQuery,
  GraphRelationship,
  GraphRelationshipRequest,
  GraphRequestBody,
  GraphStatus,
  UpdateGraphRelationshipBody,
  type GraphRequestAction,
} from './graph.schemas.ts';
import { registerCatchAll, type NotSupported } from './partner-center.http.ts';
import { PcThrottle } from './partner-center.schemas.ts';

const tags = ['Partner Center compatible'];
const path = '/delegatedAdminRelationships';
const defaultTop = 100;
const noQuery = z.object({}).strict();
/** Request ids are derived digests in uuid form (not always a valid v4 uuid). */
const RequestParams = z.object({ id: IdParams.shape.id, requestId: z.string().regex(/^[0-9a-f-]{36}$/) }).strict();

/** Response schemas of a Graph route: its successes, Graph's error body, the throttling shape for 429. */
function graphResponses<T extends Record<number, z.ZodType>>(success: T, errors: readonly ErrorCode[] = []) {
  return withDeclaredErrors({ ...success, 429: PcThrottle, '4xx': GraphError, '5xx': GraphError }, errors);
}

/** Whom a partner may ask (as the native routes are wired in app.ts): its customers. Three-party requests are native only. */
const reach: RequestReach = {
  servesCustomer: (db, partnerId, customerId) => hasActiveRelationship(db, partnerId, customerId),
  sharesThroughReseller: async (db, providerId, resellerId, customerId) =>
    (await findActivePartnership(db, providerId, resellerId)) !== undefined && (await hasActiveRelationship(db, resellerId, customerId)),
};

const actions: Record<GraphRequestAction, (ctx: UseCaseContext, id: string) => Promise<GrantRow>> = {
  lockForApproval,
  approve: approveRelationship,
  reject: rejectRelationship,
  terminate: terminateRelationship,
};

/** Graph role template ids → Tierlink's delegated roles; an id Tierlink has no role for is refused (400). */
function rolesOf(details: { unifiedRoles: { roleDefinitionId: string }[] }): DelegatedRole[] {
  const roles = new Set<DelegatedRole>();
  for (const { roleDefinitionId } of details.unifiedRoles) {
    const role = roleOfDefinitionId(roleDefinitionId);
    if (role === undefined) {
      throw new AppError('validation_failed', `accessDetails.unifiedRoles: roleDefinitionId ${roleDefinitionId} is not offered; Tierlink grants User Administrator, License Administrator and Helpdesk Administrator only`, 'accessDetails');
    }
    roles.add(role);
  }
  return [...roles];
}

/** `P1Y`/`P2Y` as days (Graph allows years; Tierlink stores days); `PT0S` is `P0D`. */
const daysOf = (duration: string) => (duration.endsWith('Y') ? `P${Number(duration.slice(1, -1)) * 365}D` : duration);
const autoExtendOf = (value: 'PT0S' | 'P0D' | 'P180D'): AutoExtendDuration => (value === 'P180D' ? 'P180D' : 'P0D');

/** `status eq 'active'` — the one filter offered; anything else is refused in Graph's words. */
function parseStatusFilter(filter: string | undefined): { state: RelationshipState | undefined; none: boolean } {
  if (filter === undefined) return { state: undefined, none: false };
  const status = GraphStatus.safeParse(/^\s*status\s+eq\s+'([A-Za-z]+)'\s*$/.exec(filter)?.[1]);
  if (!status.success) throw new AppError('validation_failed', `$filter: only status eq '<status>' is supported, with a status of ${GraphStatus.options.join(', ')}`, '$filter');
  const state = nativeStateOf[status.data];
  return { state, none: state === undefined };
}

/** `$skipToken` wraps the native cursor: opaque to the caller, refused when not one of ours. */
const skipTokenOf = (cursor: string) => Buffer.from(`tl1:${cursor}`, 'utf8').toString('base64url');
function cursorOf(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('tl1:')) throw new AppError('validation_failed', '$skipToken: not a token this API issued', '$skipToken');
  return text.slice(4);
}

/**
 * The Graph delegated-admin routes (`/v1.0/tenantRelationships/…`): Microsoft Graph's shapes over
 * the native delegated-admin use cases, with the same permissions as the native routes.
 */
export function registerGraphRoutes(scope: App, uow: UnitOfWorkDeps): void {
  const base = () => graphBase(uow.publicUrl);
  const context = (suffix = '') => `${base()}/$metadata#delegatedAdminRelationships${suffix}`;
  const present = (view: RelationshipView) => presentGraphRelationship(view, uow.clock.now(), uow.publicUrl);
  const reread = async (ctx: UseCaseContext, row: GrantRow) => {
    const view = await findRelationshipView(ctx.tx, row.id);
    if (view === undefined) throw new Error('relationship vanished in its own transaction');
    return view;
  };
  const entity = (view: RelationshipView) => ({ '@odata.context': context('/$entity'), ...present(view) });

  scope.get(
    path,
    {
      schema: {
        tags,
        summary: 'Graph: the caller\'s delegated admin relationships, newest first ($top, $skipToken, $filter=status eq \'…\')',
        querystring: GraphListQuery,
        response: graphResponses({ 200: graphCollection(GraphRelationship, 'GraphDelegatedAdminRelationships') }),
      },
      config: { access: 'delegated_admin.read' },
    },
    async (request) => {
      const { $top = defaultTop, $skipToken, $filter } = request.query;
      const filter = parseStatusFilter($filter);
      const cursor = cursorOf($skipToken);
      const page = await runAsActor(uow, request, async (ctx) =>
        filter.none ? { items: [], nextCursor: null } : listRelationships(ctx, { limit: $top, cursor, state: filter.state, count: undefined }),
      );
      const next = new URLSearchParams({ $top: String($top), ...($filter === undefined ? {} : { $filter }) });
      if (page.nextCursor !== null) next.set('$skipToken', skipTokenOf(page.nextCursor));
      return {
        '@odata.context': context(),
        ...(page.nextCursor === null ? {} : { '@odata.nextLink': `${base()}${path}?${next.toString()}` }),
        value: page.items.map(present),
      };
    },
  );

  scope.post(
    path,
    {
      schema: {
        tags,
        summary: 'Graph: draft a relationship with a customer (status created); POST …/requests lockForApproval sends it',
        body: CreateGraphRelationshipBody,
        response: graphResponses({ 201: GraphRelationship }, ['not_found', 'auto_extend_not_allowed', 'display_name_taken']),
      },
      config: { access: 'delegated_admin.manage' },
    },
    async (request, reply) => {
      const body = request.body;
      const view = await runAsActor(uow, request, async (ctx) => {
        const row = await createRelationship(
          ctx,
          {
            displayName: body.displayName,
            customerId: body.customer.tenantId,
            roles: rolesOf(body.accessDetails),
            duration: daysOf(body.duration),
            autoExtendDuration: autoExtendOf(body.autoExtendDuration ?? 'PT0S'),
          },
          reach,
        );
        return reread(ctx, row);
      });
      return reply.code(201).header('Location', `${base()}${path}/${view.row.id}`).send(entity(view));
    },
  );

  scope.get(
    `${path}/:id`,
    {
      schema: { tags, summary: 'Graph: one relationship', params: IdParams, querystring: noQuery, response: graphResponses({ 200: GraphRelationship }) },
      config: { access: 'delegated_admin.read' },
    },
    async (request, reply) => {
      const view = await runAsActor(uow, request, (ctx) => getRelationship(ctx, request.params.id));
      const body = entity(view);
      return reply.header('ETag', body['@odata.etag']).send(body);
    },
  );

  scope.patch(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: 'Graph: change a relationship in status created (If-Match with its @odata.etag required)',
        params: IdParams,
        headers: GraphIfMatchHeaders,
        body: UpdateGraphRelationshipBody,
        response: graphResponses({ 200: GraphRelationship }, ['relationship_not_editable', 'auto_extend_not_allowed', 'display_name_taken', 'precondition_required', 'precondition_failed']),
      },
      config: { access: 'delegated_admin.manage' },
    },
    async (request, reply) => {
      const body = request.body;
      const change = {
        ...(body.displayName === undefined ? {} : { displayName: body.displayName }),
        ...(body.accessDetails === undefined ? {} : { roles: rolesOf(body.accessDetails) }),
        ...(body.duration === undefined ? {} : { duration: daysOf(body.duration) }),
        ...(body.autoExtendDuration === undefined ? {} : { autoExtendDuration: autoExtendOf(body.autoExtendDuration) }),
      };
      if (Object.keys(change).length === 0) throw new AppError('validation_failed', 'Change at least one of displayName, duration, accessDetails, autoExtendDuration.');
      const view = await runAsActor(uow, request, async (ctx) => {
        if (body.customer !== undefined && body.customer.tenantId !== (await getRelationship(ctx, request.params.id)).row.organizationId) {
          throw new AppError('validation_failed', 'customer: a relationship\'s customer does not change; draft a new relationship instead', 'customer');
        }
        return reread(ctx, await updateRelationshipDraft(ctx, request.params.id, change, nativeEtag(request.headers['if-match'])));
      });
      const answer = entity(view);
      return reply.header('ETag', answer['@odata.etag']).send(answer);
    },
  );

  scope.delete(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: 'Graph: delete a relationship in status created (If-Match with its @odata.etag required)',
        params: IdParams,
        headers: GraphIfMatchHeaders,
        response: graphResponses({ 204: z.null() }, ['relationship_not_editable', 'precondition_required', 'precondition_failed']),
      },
      config: { access: 'delegated_admin.manage' },
    },
    async (request, reply) => {
      const ifMatch = nativeEtag(request.headers['if-match']);
      await runAsActor(uow, request, async (ctx) => {
        const view = await getRelationship(ctx, request.params.id);
        if (ifMatch === undefined) throw new AppError('precondition_required', 'Send If-Match with the @odata.etag you read.');
        // Checked in the delete's own transaction; the draft's lock is taken by the delete itself.
        if (graphEtag(ifMatch) !== present(view)['@odata.etag']) throw new AppError('precondition_failed', 'The relationship changed since you read it; reload and retry.');
        await deleteRelationshipDraft(ctx, view.row.id);
      });
      return reply.code(204).send(null);
    },
  );

  scope.post(
    `${path}/:id/requests`,
    {
      schema: {
        tags,
        summary: 'Graph: lockForApproval or terminate (partner), approve, reject or terminate (customer) — applied at once (status succeeded)',
        params: IdParams,
        body: GraphRequestBody,
        response: graphResponses({ 201: GraphRelationshipRequest }, ['relationship_transition_invalid']),
      },
      config: { access: 'delegated_admin.act' },
    },
    async (request, reply) => {
      const action = request.body.action;
      const view = await runAsActor(uow, request, async (ctx) => reread(ctx, await actions[action](ctx, request.params.id)));
      const answer = presentGraphRequest(view, action);
      return reply
        .code(201)
        .header('Location', `${base()}${path}/${view.row.id}/requests/${answer.id}`)
        .send({ '@odata.context': `${base()}/$metadata#requests`, ...answer });
    },
  );

  scope.get(
    `${path}/:id/requests`,
    {
      schema: {
        tags,
        summary: 'Graph: the requests that moved the relationship (from its recorded moments: sent, decided, terminated)',
        params: IdParams,
        querystring: noQuery,
        response: graphResponses({ 200: graphCollection(GraphRelationshipRequest, 'GraphDelegatedAdminRelationshipRequests') }),
      },
      config: { access: 'delegated_admin.read' },
    },
    async (request) => {
      const view = await runAsActor(uow, request, (ctx) => getRelationship(ctx, request.params.id));
      return { '@odata.context': `${base()}/$metadata#requests`, value: requestsOf(view) };
    },
  );

  scope.get(
    `${path}/:id/requests/:requestId`,
    {
      schema: {
        tags,
        summary: 'Graph: one request of the relationship (where POST …/requests points)',
        params: RequestParams,
        querystring: noQuery,
        response: graphResponses({ 200: GraphRelationshipRequest }),
      },
      config: { access: 'delegated_admin.read' },
    },
    async (request) => {
      const view = await runAsActor(uow, request, (ctx) => getRelationship(ctx, request.params.id));
      const found = requestsOf(view).find((r) => r.id === request.params.requestId);
      if (found === undefined) throw notFound('delegated admin relationship request');
      return { '@odata.context': `${base()}/$metadata#requests/$entity`, ...found };
    },
  );

  scope.get(
    `${path}/:id/accessAssignments`,
    {
      schema: {
        tags,
        summary: 'Graph: one access assignment standing for the partner\'s admin agents, with the relationship\'s roles (Tierlink has no security groups)',
        params: IdParams,
        querystring: noQuery,
        response: graphResponses({ 200: graphCollection(GraphAccessAssignment, 'GraphDelegatedAdminAccessAssignments') }),
      },
      config: { access: 'delegated_admin.read' },
    },
    async (request) => {
      const view = await runAsActor(uow, request, (ctx) => getRelationship(ctx, request.params.id));
      return { '@odata.context': `${base()}/$metadata#accessAssignments`, value: [presentAccessAssignment(view, uow.clock.now(), uow.publicUrl)] };
    },
  );
}

/** Graph operations Tierlink does not offer, and why (docs/partner-center-api.md). */
const notSupported: readonly NotSupported[] = [
  {
    method: 'POST',
    path: /\/delegatedAdminRelationships\/[^/]+\/accessAssignments\/?$/,
    why: 'Tierlink has no security groups: a relationship\'s roles reach all of the partner\'s admin agents, so its one access assignment comes with it. Change the roles with PATCH (status created) or a native amendment.',
  },
  { method: 'PATCH', path: /\/accessAssignments\/[^/]+\/?$/, why: 'Access assignments follow the relationship\'s roles; they are not changed on their own.' },
  { method: 'DELETE', path: /\/accessAssignments\/[^/]+\/?$/, why: 'Access assignments follow the relationship; terminate the relationship to end them.' },
  { method: 'GET', path: /\/delegatedAdminCustomers/, why: 'Customers are listed by the Partner Center API: GET /v1/customers.' },
];

/** Unknown `/v1.0/tenantRelationships` paths: Graph's error shape; a known Graph operation Tierlink lacks answers 501 and says why. */
export function registerGraphNotFound(scope: FastifyInstance): void {
  registerCatchAll(scope, notSupported, (why) => ({ error: { code: graphCode('not_supported', 501), message: why } }));
}
