import { z } from 'zod';
import {
  AddedUser,
  AddUserBody,
  ApiKey,
  ChangePasswordBody,
  ConfirmTotpBody,
  RecoveryCodes,
  TotpEnrollment,
  CreateApiKeyBody,
  CreatedApiKey,
  IdParams,
  Me,
  SignInBody,
  SignUpBody,
  SignUpResponse,
  UpdateUserBody,
  User,
  UserExportQuery,
  UserListQuery,
  countedPage,
} from '@tierlink/contract';
import { sendCsv } from '../../platform/http/csv-response.ts';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { changePassword } from './change-password.ts';
import { createApiKey } from './create-api-key.ts';
import type { InvitationEmailProof } from './create-organization.ts';
import { endSession } from './end-session.ts';
import { getMe } from './get-me.ts';
import { listApiKeys } from './list-api-keys.ts';
import { revokeApiKey } from './revoke-api-key.ts';
import { addUser } from './add-user.ts';
import { deleteUser } from './delete-user.ts';
import { exportUsers, listUsers } from './list-users.ts';
import { updateUser } from './update-user.ts';
import { confirmMfaEnrollment } from './confirm-mfa-enrollment.ts';
import { resetUserMfa } from './reset-user-mfa.ts';
import { startMfaEnrollment } from './start-mfa-enrollment.ts';
import { defaultGuessLimit, type GuessLimit } from './guess-throttle.ts';
import { signIn } from './sign-in.ts';
import { signUp } from './sign-up.ts';
import { presentApiKey, presentOrganization, presentUser, userCsvCells, userCsvColumns } from './identity.presenter.ts';
import { sessionPolicy } from './identity.policy.ts';

export interface IdentityRouteOptions {
  uow: UnitOfWorkDeps;
  cookieName: string;
  secureCookie: boolean;
  proveInvitationEmail: InvitationEmailProof;
  /** Wrong tokens and MFA codes per client IP and minute (RATE-03). */
  guessLimit?: GuessLimit;
}

export function registerIdentityRoutes(app: App, options: IdentityRouteOptions): void {
  const { uow, cookieName } = options;
  const guessLimit = options.guessLimit ?? defaultGuessLimit;
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: options.secureCookie,
    maxAge: Math.floor(sessionPolicy.absoluteMs / 1000),
  };

  app.post(
    '/api/v1/organizations',
    {
      schema: { tags: ['Identity'], summary: 'Sign up: create an organization and its global admin', body: SignUpBody, response: responses({ 201: SignUpResponse }, ['email_taken', 'domain_taken', 'invitation_email_mismatch', 'password_too_common', 'rate_limited']) },
      config: { access: 'public' },
    },
    async (request, reply) => {
      const { organization, user, session } = await signUp(uow, request, request.body, { guessLimit, proveInvitationEmail: options.proveInvitationEmail });
      reply.setCookie(cookieName, session.token, cookieOptions);
      return reply.code(201).send({ organization: presentOrganization(organization, []), user: presentUser(user) });
    },
  );

  app.post(
    '/api/v1/sessions',
    {
      schema: { tags: ['Identity'], summary: 'Sign in', body: SignInBody, response: responses({ 201: z.object({ expiresAt: z.string() }) }, ['invalid_credentials', 'mfa_required', 'invalid_mfa_code', 'rate_limited']) },
      config: { access: 'public' },
    },
    async (request, reply) => {
      const session = await signIn(uow, request, request.body, { guessLimit, onBlocked: (seconds) => void reply.header('retry-after', String(seconds)) });
      reply.setCookie(cookieName, session.token, cookieOptions);
      return reply.code(201).send({ expiresAt: session.expiresAt.toISOString() });
    },
  );

  app.delete(
    '/api/v1/sessions',
    {
      schema: { tags: ['Identity'], summary: 'Sign out', response: responses({ 204: z.null() }) },
      config: { access: 'authenticated' },
    },
    async (request, reply) => {
      await runAsActor(uow, request, endSession);
      reply.clearCookie(cookieName, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: { tags: ['Identity'], summary: 'The caller: user, organization, roles and permissions', response: responses({ 200: Me }) },
      config: { access: 'authenticated' },
    },
    (request) => runAsActor(uow, request, getMe),
  );

  app.post(
    '/api/v1/me/password',
    {
      schema: { tags: ['Identity'], summary: 'Change the own password; ends the other sessions', body: ChangePasswordBody, response: responses({ 204: z.null() }, ['invalid_credentials', 'password_too_common']) },
      config: { access: 'authenticated' },
    },
    async (request, reply) => {
      await runAsActor(uow, request, (ctx) => changePassword(ctx, request.body));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['Users'],
        summary: 'Users of the own organization, sorted by name, email or created, searched by name or email prefix',
        querystring: UserListQuery,
        response: responses({ 200: countedPage(User) }),
      },
      config: { access: 'users.manage' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listUsers(ctx, request.query));
      return { items: result.items.map(presentUser), nextCursor: result.nextCursor, count: result.count };
    },
  );

  app.get(
    '/api/v1/users/export',
    {
      schema: {
        tags: ['Users'],
        summary: 'Every user of the own organization the search shows, as CSV (streamed, in the order asked)',
        querystring: UserExportQuery,
        response: responses({ 200: z.string().meta({ contentMediaType: 'text/csv' }) }),
      },
      config: { access: 'users.manage' },
    },
    async (request, reply) => {
      const batches = await runAsActor(uow, request, async (ctx) => exportUsers(ctx, request.query));
      return sendCsv(reply, 'users.csv', userCsvColumns, batches, userCsvCells);
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: { tags: ['Users'], summary: 'Add a user; the temporary password is shown once', body: AddUserBody, response: responses({ 201: AddedUser }, ['role_ceiling', 'email_taken']) },
      config: { access: 'users.manage' },
    },
    async (request, reply) => {
      const added = await runAsActor(uow, request, (ctx) => addUser(ctx, request.body));
      return reply.code(201).send({ user: presentUser(added.user), temporaryPassword: added.temporaryPassword });
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: { tags: ['Users'], summary: 'Change a user\'s name, roles or status', params: IdParams, body: UpdateUserBody, response: responses({ 200: User }, ['role_ceiling', 'last_global_admin']) },
      config: { access: 'users.manage' },
    },
    async (request) => presentUser(await runAsActor(uow, request, (ctx) => updateUser(ctx, request.params.id, request.body))),
  );

  app.delete(
    '/api/v1/users/:id',
    {
      schema: { tags: ['Users'], summary: 'Delete a user', params: IdParams, response: responses({ 204: z.null() }, ['role_ceiling', 'last_global_admin']) },
      config: { access: 'users.manage' },
    },
    async (request, reply) => {
      await runAsActor(uow, request, (ctx) => deleteUser(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/mfa/totp',
    {
      schema: { tags: ['Identity'], summary: 'Start MFA setup: a new authenticator seed and its otpauth:// URI (QR code)', response: responses({ 201: TotpEnrollment }, ['mfa_already_enrolled']) },
      config: { access: 'authenticated' },
    },
    async (request, reply) => reply.code(201).send(await runAsActor(uow, request, startMfaEnrollment)),
  );

  app.post(
    '/api/v1/me/mfa/totp/confirm',
    {
      schema: { tags: ['Identity'], summary: 'Finish MFA setup with a current code; answers the recovery codes once', body: ConfirmTotpBody, response: responses({ 200: RecoveryCodes }, ['mfa_already_enrolled']) },
      config: { access: 'authenticated' },
    },
    (request) => runAsActor(uow, request, (ctx) => confirmMfaEnrollment(ctx, request.body)),
  );

  app.delete(
    '/api/v1/users/:id/mfa',
    {
      schema: { tags: ['Users'], summary: 'Reset a user\'s MFA (lost device); the user sets it up again at the next sign-in', params: IdParams, response: responses({ 204: z.null() }, ['role_ceiling']) },
      config: { access: 'users.manage' },
    },
    async (request, reply) => {
      await runAsActor(uow, request, (ctx) => resetUserMfa(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/api-keys',
    {
      // No parameters: an unknown one (e.g. organizationId=…) is refused, never silently ignored.
      schema: { tags: ['Identity'], summary: 'API keys of the organization', querystring: z.object({}).strict(), response: responses({ 200: z.object({ items: z.array(ApiKey) }) }) },
      config: { access: 'api_keys.manage' },
    },
    async (request) => ({ items: (await runAsActor(uow, request, listApiKeys)).map(presentApiKey) }),
  );

  app.post(
    '/api/v1/api-keys',
    {
      schema: { tags: ['Identity'], summary: 'Create an API key; the secret is shown once', body: CreateApiKeyBody, response: responses({ 201: CreatedApiKey }, ['role_ceiling']) },
      config: { access: 'api_keys.manage' },
    },
    async (request, reply) => {
      const { apiKey, secret } = await runAsActor(uow, request, (ctx) => createApiKey(ctx, request.body));
      return reply.code(201).send({ apiKey: presentApiKey(apiKey), secret });
    },
  );

  app.delete(
    '/api/v1/api-keys/:id',
    {
      schema: { tags: ['Identity'], summary: 'Revoke an API key', params: IdParams, response: responses({ 200: ApiKey }) },
      config: { access: 'api_keys.manage' },
    },
    async (request) => presentApiKey(await runAsActor(uow, request, (ctx) => revokeApiKey(ctx, request.params.id))),
  );
}
