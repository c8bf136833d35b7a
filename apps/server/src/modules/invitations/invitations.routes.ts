import { z } from 'zod';
import {
  AcceptedInvitation,
  AcceptInvitationBody,
  CreateCustomerInvitationBody,
  CreatedInvitation,
  CreateResellerInvitationBody,
  DeclineInvitationBody,
  IdParams,
  Invitation,
  InvitationExportQuery,
  InvitationListQuery,
  InvitationPreview,
  InvitationTokenQuery,
  countedPage,
  SendInvitationBody,
} from '@tierlink/contract';
import type { FastifyRequest } from 'fastify';
import { sendCsv } from '../../platform/http/csv-response.ts';
import { responses, runAnonymous, runAsActor, runAsActorInOneStatement, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { defaultGuessLimit, throttledGuess, type GuessLimit } from '../identity/index.ts';
import { acceptInvitation } from './accept-invitation.ts';
import { createCustomerInvitation } from './create-customer-invitation.ts';
import { createResellerInvitation } from './create-reseller-invitation.ts';
import { declineInvitation } from './decline-invitation.ts';
import { getInvitation } from './get-invitation.ts';
import { defaultInvitationQuota, type InvitationQuota } from './invitations.policy.ts';
import { invitationCsvCells, invitationCsvColumns, presentAcceptance, presentInvitation, presentPreview } from './invitations.presenter.ts';
import type { IssuedInvitation } from './issue-invitation.ts';
import { exportInvitations, listInvitations } from './list-invitations.ts';
import { revokeInvitation } from './revoke-invitation.ts';
import { sendInvitation } from './send-invitation.ts';

export interface InvitationLimits {
  quota?: InvitationQuota | undefined;
  guesses?: GuessLimit | undefined;
}

export function registerInvitationRoutes(app: App, uow: UnitOfWorkDeps, limits: InvitationLimits = {}): void {
  const quota = limits.quota ?? defaultInvitationQuota;
  // RATE-03: a wrong token answers exactly like an unknown id (invitation_not_found); both count.
  const guessing = <T>(request: FastifyRequest, attempt: () => Promise<T>): Promise<T> =>
    throttledGuess(uow.db, { ip: request.ip, now: uow.clock.now() }, limits.guesses ?? defaultGuessLimit, (e) => e.code === 'invitation_not_found', attempt);
  const presentIssued = (issued: IssuedInvitation) => ({
    invitation: presentInvitation(issued.view, uow.clock.now()),
    email: issued.email,
    sent: issued.sent,
  });

  app.post(
    '/api/v1/reseller-invitations',
    {
      schema: { tags: ['Invitations'], summary: 'Provider invites a reseller (emailed)', body: CreateResellerInvitationBody, response: responses({ 201: CreatedInvitation }, ['not_found', 'invitation_quota_exceeded']) },
      config: { access: 'partnerships.invite' },
    },
    async (request, reply) => reply.code(201).send(presentIssued(await runAsActor(uow, request, (ctx) => createResellerInvitation(ctx, request.body, quota)))),
  );

  app.post(
    '/api/v1/customer-invitations',
    {
      schema: {
        tags: ['Invitations'],
        summary: 'Request a reseller relationship: the draft email and personal link, optionally sent',
        body: CreateCustomerInvitationBody,
        response: responses({ 201: CreatedInvitation }, ['not_found', 'invitation_quota_exceeded']),
      },
      config: { access: 'customers.invite' },
    },
    async (request, reply) => reply.code(201).send(presentIssued(await runAsActor(uow, request, (ctx) => createCustomerInvitation(ctx, request.body, quota)))),
  );

  app.get(
    '/api/v1/invitations',
    {
      schema: { tags: ['Invitations'], summary: 'Invitations the organization sent', querystring: InvitationListQuery, response: responses({ 200: countedPage(Invitation) }) },
      config: { access: 'invitations.manage' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listInvitations(ctx, request.query));
      const now = uow.clock.now();
      return { items: result.items.map((v) => presentInvitation(v, now)), nextCursor: result.nextCursor, count: result.count };
    },
  );

  app.get(
    '/api/v1/invitations/export',
    {
      schema: {
        tags: ['Invitations'],
        summary: 'Every invitation the organization sent that the filters show, as CSV (streamed, in the order asked)',
        querystring: InvitationExportQuery,
        response: responses({ 200: z.string().meta({ contentMediaType: 'text/csv' }) }),
      },
      config: { access: 'invitations.manage' },
    },
    async (request, reply) => {
      const batches = await runAsActor(uow, request, async (ctx) => exportInvitations(ctx, request.query));
      const now = uow.clock.now();
      return sendCsv(reply, 'invitations.csv', invitationCsvColumns, batches, (v) => invitationCsvCells(v, now));
    },
  );

  app.get(
    '/api/v1/invitations/:id',
    {
      schema: {
        tags: ['Invitations'],
        summary: 'What the invitee sees before accepting (never changes anything)',
        params: IdParams,
        querystring: InvitationTokenQuery,
        response: responses({ 200: InvitationPreview }, ['invitation_not_found', 'invitation_not_pending', 'invitation_expired', 'rate_limited']),
      },
      config: { access: 'public' },
    },
    async (request) => presentPreview(await guessing(request, () => getInvitation(uow.db, request.params.id, request.query.token)), uow.clock.now()),
  );

  app.post(
    '/api/v1/invitations/:id/accept',
    {
      schema: { tags: ['Invitations'], summary: 'Accept (token, consent and the invitee signed in)', params: IdParams, body: AcceptInvitationBody, response: responses({ 200: AcceptedInvitation }, ['consent_required', 'invitation_email_mismatch', 'wrong_organization_kind', 'invitation_not_found', 'invitation_not_pending', 'partnership_exists', 'partnership_not_active', 'relationship_exists', 'invitation_expired', 'rate_limited']) },
      config: { access: 'authenticated' },
    },
    async (request) =>
      presentAcceptance(
        await guessing(request, () => runAsActorInOneStatement(uow, request, (ctx) => acceptInvitation(ctx, request.params.id, request.body))),
        uow.clock.now(),
      ),
  );

  app.post(
    '/api/v1/invitations/:id/decline',
    {
      schema: { tags: ['Invitations'], summary: 'Decline (token)', params: IdParams, body: DeclineInvitationBody, response: responses({ 200: Invitation }, ['invitation_email_mismatch', 'invitation_not_found', 'invitation_not_pending', 'invitation_expired', 'rate_limited']) },
      config: { access: 'public' },
    },
    async (request) =>
      presentInvitation(await guessing(request, () => runAnonymous(uow, request, (ctx) => declineInvitation(ctx, request.params.id, request.body.token))), uow.clock.now()),
  );

  app.post(
    '/api/v1/invitations/:id/revoke',
    {
      schema: { tags: ['Invitations'], summary: 'Revoke a pending invitation (inviter)', params: IdParams, response: responses({ 200: Invitation }, ['invitation_not_pending']) },
      config: { access: 'invitations.manage' },
    },
    async (request) => presentInvitation(await runAsActor(uow, request, (ctx) => revokeInvitation(ctx, request.params.id)), uow.clock.now()),
  );

  app.post(
    '/api/v1/invitations/:id/send',
    {
      schema: {
        tags: ['Invitations'],
        summary: 'Send a draft customer invitation with Tierlink: the same invitation and link, with the edited text',
        params: IdParams,
        body: SendInvitationBody,
        response: responses({ 200: CreatedInvitation }, ['invitation_not_found', 'invitation_not_pending', 'invitation_quota_exceeded', 'rate_limited']),
      },
      config: { access: 'customers.invite' },
    },
    async (request) => presentIssued(await guessing(request, () => runAsActor(uow, request, (ctx) => sendInvitation(ctx, request.params.id, request.body, quota)))),
  );
}
