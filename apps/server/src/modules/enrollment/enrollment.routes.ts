import { z } from 'zod';
import {
  EnrollBody,
  Enrollment,
  EnrollmentListQuery,
  IdParams,
  ImportMembershipsBody,
  ImportMembershipsResult,
  Membership,
  MembershipSignIn,
  MembershipSignInBody,
  RegisterMembershipBody,
  RejectEnrollmentBody,
  VerifyEmailBody,
  page,
} from '@tierlink/contract';
import type { FastifyRequest } from 'fastify';
import { responses, runAnonymous, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { defaultGuessLimit, throttledGuess, type GuessLimit } from '../identity/index.ts';
import { decideEnrollment } from './decide-enrollment.ts';
import { enroll } from './enroll.ts';
import { presentEnrollment, presentMembership } from './enrollment.presenter.ts';
import { listEnrollments } from './list-enrollments.ts';
import { registerMembership } from './register-membership.ts';
import { importMemberships, parseMembershipCsv } from './import-memberships.ts';
import { signInMembership } from './sign-in-membership.ts';
import { verifyEnrollmentEmail } from './verify-enrollment-email.ts';

export function registerEnrollmentRoutes(app: App, uow: UnitOfWorkDeps, guessLimit: GuessLimit = defaultGuessLimit): void {
  // RATE-03: a wrong membership password or verification token counts against the client's address.
  const guessing = <T>(request: FastifyRequest, code: 'invalid_credentials' | 'not_found', attempt: () => Promise<T>): Promise<T> =>
    throttledGuess(uow.db, { ip: request.ip, now: uow.clock.now() }, guessLimit, (e) => e.code === code, attempt);
  app.post(
    '/api/v1/operator/memberships',
    {
      schema: { tags: ['Operator'], summary: 'Register a program membership (registry entry)', body: RegisterMembershipBody, response: responses({ 201: Membership }) },
      config: { access: 'operator.memberships' },
    },
    async (request, reply) => {
      return reply.code(201).send(presentMembership(await runAsActor(uow, request, (ctx) => registerMembership(ctx, request.body))));
    },
  );

  app.post(
    '/api/v1/operator/memberships/import',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['Operator'],
        summary: 'Register memberships in bulk (JSON, or CSV as text/csv: membership_id,legal_name,country,account_email,account_password)',
        body: z.union([ImportMembershipsBody, z.string().max(1024 * 1024)]),
        response: responses({ 200: ImportMembershipsResult }),
      },
      config: { access: 'operator.memberships' },
    },
    async (request) => {
      const rows = typeof request.body === 'string' ? parseMembershipCsv(request.body) : request.body.items;
      const imported = await runAsActor(uow, request, (ctx) => importMemberships(ctx, rows));
      return { imported: imported.length, items: imported.map(presentMembership) };
    },
  );

  app.post(
    '/api/v1/enrollments/membership-sign-in',
    {
      schema: { tags: ['Enrollment'], summary: 'Sign in to the membership registry; lists the account\'s profiles', body: MembershipSignInBody, response: responses({ 201: MembershipSignIn }, ['invalid_credentials', 'rate_limited']) },
      config: { access: 'enrollment.manage' },
    },
    async (request, reply) => {
      const result = await guessing(request, 'invalid_credentials', () => runAsActor(uow, request, (ctx) => signInMembership(ctx, request.body)));
      return reply.code(201).send({
        membershipToken: result.membershipToken,
        profiles: result.profiles.map((p) => ({ membershipId: p.membershipId, legalName: p.legalName, country: p.country })),
      });
    },
  );

  app.post(
    '/api/v1/enrollments',
    {
      schema: { tags: ['Enrollment'], summary: 'Enroll now: membership, legal profile, contacts', body: EnrollBody, response: responses({ 201: Enrollment }, ['not_found', 'already_enrolled', 'country_mismatch', 'webmail_not_allowed']) },
      config: { access: 'enrollment.manage' },
    },
    async (request, reply) => reply.code(201).send(presentEnrollment(await runAsActor(uow, request, (ctx) => enroll(ctx, request.body)))),
  );

  app.get(
    '/api/v1/enrollments/current',
    {
      schema: { tags: ['Enrollment'], summary: 'The organization\'s enrollments and their states', response: responses({ 200: z.object({ items: z.array(Enrollment) }) }) },
      config: { access: 'organization.read' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listEnrollments(ctx, { limit: 10 }, true));
      return { items: result.items.map(presentEnrollment) };
    },
  );

  app.post(
    '/api/v1/enrollments/:id/verify-email',
    {
      schema: { tags: ['Enrollment'], summary: 'The primary contact verifies the email address (link from the email)', params: IdParams, body: VerifyEmailBody, response: responses({ 200: z.object({ state: z.string() }) }, ['enrollment_not_pending', 'verification_expired', 'rate_limited']) },
      config: { access: 'public' },
    },
    async (request) => ({
      state: (await guessing(request, 'not_found', () => runAnonymous(uow, request, (ctx) => verifyEnrollmentEmail(ctx, request.params.id, request.body.token)))).state,
    }),
  );

  app.get(
    '/api/v1/operator/enrollments',
    {
      schema: { tags: ['Operator'], summary: 'Enrollments to review, oldest first', querystring: EnrollmentListQuery, response: responses({ 200: page(Enrollment) }) },
      config: { access: 'operator.enrollments' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listEnrollments(ctx, request.query, false));
      return { items: result.items.map(presentEnrollment), nextCursor: result.nextCursor };
    },
  );

  app.post(
    '/api/v1/operator/enrollments/:id/approve',
    {
      schema: { tags: ['Operator'], summary: 'Approve an enrollment in review', params: IdParams, response: responses({ 200: Enrollment }, ['enrollment_not_pending']) },
      config: { access: 'operator.enrollments' },
    },
    async (request) => presentEnrollment(await runAsActor(uow, request, (ctx) => decideEnrollment(ctx, request.params.id, { approve: true }))),
  );

  app.post(
    '/api/v1/operator/enrollments/:id/reject',
    {
      schema: { tags: ['Operator'], summary: 'Reject an enrollment in review, with the reason', params: IdParams, body: RejectEnrollmentBody, response: responses({ 200: Enrollment }, ['enrollment_not_pending']) },
      config: { access: 'operator.enrollments' },
    },
    async (request) =>
      presentEnrollment(await runAsActor(uow, request, (ctx) => decideEnrollment(ctx, request.params.id, { approve: false, reason: request.body.reason }))),
  );
}
