import { z } from 'zod';
import {
  AccessTrace,
  AmendmentParams,
  CreateDelegatedAdminRelationshipBody,
  DelegatedAdminAmendment,
  DelegatedAdminPendingRequest,
  DelegatedAdminRelationship,
  DelegatedAdminRelationshipListQuery,
  DelegatedAdminRequestBody,
  IdParams,
  ProposeAmendmentBody,
  UpdateDelegatedAdminRelationshipBody,
  countedPage,
  type RelationshipAction,
} from '@tierlink/contract';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps, UseCaseContext } from '../../platform/unit-of-work.ts';
import { approveRelationship, rejectRelationship } from './approve-relationship.ts';
import { consentToRelationship } from './consent-to-relationship.ts';
import { createRelationship, type RequestReach } from './create-relationship.ts';
import { decideAmendment } from './decide-amendment.ts';
import { presentAccessTrace, presentAmendment, presentRelationship } from './delegated-admin.presenter.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { getRelationship, listPendingRequests, listRelationships } from './list-relationships.ts';
import { lockForApproval } from './lock-for-approval.ts';
import { proposeAmendment } from './propose-amendment.ts';
import { findRelationshipView } from './relationships.queries.ts';
import { terminateRelationship } from './terminate-relationship.ts';
import { traceAccess, type ActionsThrough } from './trace-access.ts';
import { deleteRelationshipDraft, updateRelationshipDraft } from './update-relationship.ts';

const tags = ['Delegated admin'];
const IfMatchHeaders = z.looseObject({ 'if-match': z.string().max(100).optional().meta({ description: 'Required: the ETag of the relationship as read' }) });
const noQuery = z.object({}).strict();
const PendingList = z.object({ items: z.array(DelegatedAdminPendingRequest) });
const AmendmentDecision = z.object({ relationship: DelegatedAdminRelationship, amendment: DelegatedAdminAmendment });

const actions: Record<RelationshipAction, (ctx: UseCaseContext, id: string) => Promise<GrantRow>> = {
  lock_for_approval: lockForApproval,
  consent: consentToRelationship,
  approve: approveRelationship,
  reject: rejectRelationship,
  terminate: terminateRelationship,
};

export function registerDelegatedAdminRoutes(app: App, uow: UnitOfWorkDeps, reach: RequestReach, actionsThrough: ActionsThrough): void {
  /** The relationship as presented after a change, read in the change's transaction. */
  const present = async (ctx: UseCaseContext, row: GrantRow) => {
    const view = await findRelationshipView(ctx.tx, row.id);
    if (view === undefined) throw new Error('relationship vanished in its own transaction');
    return presentRelationship(view, ctx.clock.now(), uow.publicUrl);
  };

  app.get(
    '/api/v1/delegated-admin-relationships',
    {
      schema: {
        tags,
        summary: 'The caller\'s delegated admin relationships (as partner, customer or consenting reseller), newest first',
        querystring: DelegatedAdminRelationshipListQuery,
        response: responses({ 200: countedPage(DelegatedAdminRelationship) }),
      },
      config: { access: 'delegated_admin.read' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listRelationships(ctx, request.query));
      const now = uow.clock.now();
      return { items: result.items.map((v) => presentRelationship(v, now, uow.publicUrl)), nextCursor: result.nextCursor, count: result.count };
    },
  );

  app.post(
    '/api/v1/delegated-admin-relationships',
    {
      schema: {
        tags,
        summary: 'Draft a relationship with a customer (state created); lock it for approval to send it',
        body: CreateDelegatedAdminRelationshipBody,
        response: responses({ 201: DelegatedAdminRelationship }, ['not_found', 'auto_extend_not_allowed', 'reseller_not_shared', 'display_name_taken']),
      },
      config: { access: 'delegated_admin.manage' },
    },
    async (request, reply) => {
      const body = await runAsActor(uow, request, async (ctx) => present(ctx, await createRelationship(ctx, request.body, reach)));
      return reply.code(201).send(body);
    },
  );

  app.get(
    '/api/v1/delegated-admin-relationships/:id',
    {
      schema: { tags, summary: 'One relationship: who asks for what, for how long (reading changes nothing)', params: IdParams, querystring: noQuery, response: responses({ 200: DelegatedAdminRelationship }) },
      config: { access: 'delegated_admin.read' },
    },
    async (request, reply) => {
      const view = await runAsActor(uow, request, (ctx) => getRelationship(ctx, request.params.id));
      const body = presentRelationship(view, uow.clock.now(), uow.publicUrl);
      return reply.header('ETag', body.etag).send(body);
    },
  );

  app.patch(
    '/api/v1/delegated-admin-relationships/:id',
    {
      schema: {
        tags,
        summary: 'Change a draft (state created only; If-Match required)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateDelegatedAdminRelationshipBody,
        response: responses({ 200: DelegatedAdminRelationship }, [
          'relationship_not_editable',
          'auto_extend_not_allowed',
          'display_name_taken',
          'precondition_required',
          'precondition_failed',
        ]),
      },
      config: { access: 'delegated_admin.manage' },
    },
    async (request, reply) => {
      const body = await runAsActor(uow, request, async (ctx) => present(ctx, await updateRelationshipDraft(ctx, request.params.id, request.body, request.headers['if-match'])));
      return reply.header('ETag', body.etag).send(body);
    },
  );

  app.delete(
    '/api/v1/delegated-admin-relationships/:id',
    {
      schema: { tags, summary: 'Delete a draft (state created only)', params: IdParams, response: responses({ 204: z.null() }, ['relationship_not_editable']) },
      config: { access: 'delegated_admin.manage' },
    },
    async (request, reply) => {
      await runAsActor(uow, request, (ctx) => deleteRelationshipDraft(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/delegated-admin-relationships/:id/requests',
    {
      schema: {
        tags,
        summary: 'Move the relationship: lock_for_approval or terminate (partner), consent (the named reseller), approve, reject or terminate (customer)',
        params: IdParams,
        body: DelegatedAdminRequestBody,
        response: responses({ 200: DelegatedAdminRelationship }, ['relationship_transition_invalid']),
      },
      config: { access: 'delegated_admin.act' },
    },
    async (request) => runAsActor(uow, request, async (ctx) => present(ctx, await actions[request.body.action](ctx, request.params.id))),
  );

  app.post(
    '/api/v1/delegated-admin-relationships/:id/amendments',
    {
      schema: {
        tags,
        summary: 'Propose new roles and/or a new duration for an active relationship; the old terms hold until the customer approves',
        params: IdParams,
        body: ProposeAmendmentBody,
        response: responses({ 201: DelegatedAdminAmendment }, ['relationship_transition_invalid', 'auto_extend_not_allowed']),
      },
      config: { access: 'delegated_admin.manage' },
    },
    async (request, reply) => {
      const amendment = await runAsActor(uow, request, (ctx) => proposeAmendment(ctx, request.params.id, request.body));
      return reply.code(201).send(presentAmendment(amendment));
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/api/v1/delegated-admin-relationships/:id/amendments/:amendmentId/${decision}`,
      {
        schema: {
          tags,
          summary: decision === 'approve' ? 'Approve an amendment: the relationship takes its terms' : 'Reject an amendment: the terms stay',
          params: AmendmentParams,
          response: responses({ 200: AmendmentDecision }, ['amendment_not_pending', 'relationship_transition_invalid']),
        },
        config: { access: 'delegated_admin.approve' },
      },
      async (request) =>
        runAsActor(uow, request, async (ctx) => {
          const { relationship, amendment } = await decideAmendment(ctx, request.params.id, request.params.amendmentId, decision);
          return { relationship: await present(ctx, relationship), amendment: presentAmendment(amendment) };
        }),
    );
  }

  app.get(
    '/api/v1/delegated-admin-requests',
    {
      schema: { tags, summary: 'What waits for the caller\'s organization: approvals and amendments to decide, consents to give', querystring: noQuery, response: responses({ 200: PendingList }) },
      config: { access: 'delegated_admin.read' },
    },
    async (request) => {
      const pending = await runAsActor(uow, request, (ctx) => listPendingRequests(ctx));
      const now = uow.clock.now();
      return { items: pending.map((p) => ({ kind: p.kind, relationship: presentRelationship(p.view, now, uow.publicUrl) })) };
    },
  );

  // Access tracing: every relationship in force between a partner and a customer, as either side sees it.
  app.get(
    '/api/v1/customers/:id/access',
    {
      schema: { tags, summary: 'How the caller\'s admin agents can act in this customer: each relationship in force, its latest actions, unused ones flagged', params: IdParams, querystring: noQuery, response: responses({ 200: AccessTrace }) },
      config: { access: 'customers.read' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => traceAccess(ctx, { partnerId: ctx.actor.organizationId, customerId: request.params.id }, { reach, actionsThrough }));
      return presentAccessTrace(result, uow.clock.now(), uow.publicUrl);
    },
  );

  app.get(
    '/api/v1/partners/:id/access',
    {
      schema: { tags: ['Customer admin'], summary: 'How this partner\'s admin agents can act in the own organization: each relationship in force, its latest actions, unused ones flagged', params: IdParams, querystring: noQuery, response: responses({ 200: AccessTrace }) },
      config: { access: 'partners.read' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => traceAccess(ctx, { partnerId: request.params.id, customerId: ctx.actor.organizationId }, { reach, actionsThrough }));
      return presentAccessTrace(result, uow.clock.now(), uow.publicUrl);
    },
  );
}
