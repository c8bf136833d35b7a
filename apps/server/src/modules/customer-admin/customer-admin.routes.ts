import { z } from 'zod';
import { CreateCustomerUserBody, CreatedCustomerUser, CustomerUser, CustomerUserParams, IdParams, LicenseBody, type Role } from '@tierlink/contract';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { assignLicense } from './assign-license.ts';
import { createCustomerUser } from './create-customer-user.ts';
import { listCustomerUsers, type CustomerUserView } from './list-customer-users.ts';
import { removeCustomerUser } from './remove-customer-user.ts';
import { removeLicense } from './remove-license.ts';
import { resetCustomerPassword } from './reset-customer-password.ts';

function presentCustomerUser(view: CustomerUserView) {
  return {
    id: view.user.id,
    displayName: view.user.displayName,
    email: view.user.email,
    status: view.user.status,
    mustChangePassword: view.user.mustChangePassword,
    roles: view.user.roles as Role[],
    licenses: view.licenses.map((l) => ({ subscriptionId: l.subscriptionId, skuName: l.skuName })),
  };
}

export function registerCustomerAdminRoutes(app: App, uow: UnitOfWorkDeps): void {
  const tags = ['Delegated admin'];
  const access = 'customer_users.manage' as const;

  app.get(
    '/api/v1/customers/:id/users',
    { schema: { tags, summary: 'Users of a customer organization (delegated admin: user_admin)', params: IdParams, response: responses({ 200: z.object({ items: z.array(CustomerUser) }) }) }, config: { access } },
    async (request) => ({ items: (await runAsActor(uow, request, (ctx) => listCustomerUsers(ctx, request.params.id))).map(presentCustomerUser) }),
  );

  app.post(
    '/api/v1/customers/:id/users',
    { schema: { tags, summary: 'Add a user; the temporary password is shown once', params: IdParams, body: CreateCustomerUserBody, response: responses({ 201: CreatedCustomerUser }, ['role_ceiling', 'email_taken']) }, config: { access } },
    async (request, reply) => {
      const created = await runAsActor(uow, request, (ctx) => createCustomerUser(ctx, request.params.id, request.body));
      return reply.code(201).send({ user: presentCustomerUser(created.view), temporaryPassword: created.temporaryPassword });
    },
  );

  app.delete(
    '/api/v1/customers/:id/users/:uid',
    {
      schema: {
        tags,
        summary: 'Remove a user without admin roles (delegated admin: user_admin); sessions, API keys and seats end with it',
        params: CustomerUserParams,
        response: responses({ 204: z.null() }, ['customer_admin_protected']),
      },
      config: { access },
    },
    async (request, reply) => {
      await runAsActor(uow, request, (ctx) => removeCustomerUser(ctx, request.params.id, request.params.uid));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/customers/:id/users/:uid/password-reset',
    {
      schema: { tags, summary: 'Reset a user\'s password (delegated admin: helpdesk)', params: CustomerUserParams, response: responses({ 200: z.object({ temporaryPassword: z.string() }) }, ['role_ceiling']) },
      config: { access },
    },
    async (request) => ({ temporaryPassword: await runAsActor(uow, request, (ctx) => resetCustomerPassword(ctx, request.params.id, request.params.uid)) }),
  );

  app.post(
    '/api/v1/customers/:id/users/:uid/licenses',
    { schema: { tags, summary: 'Assign a seat of a subscription (never more than its quantity)', params: CustomerUserParams, body: LicenseBody, response: responses({ 204: z.null() }, ['seats_exhausted']) }, config: { access } },
    async (request, reply) => {
      await runAsActor(uow, request, (ctx) => assignLicense(ctx, request.params.id, request.params.uid, request.body.subscriptionId));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/customers/:id/users/:uid/licenses/:sid',
    {
      schema: { tags, summary: 'Remove a user\'s seat of a subscription', params: z.object({ id: z.uuid(), uid: z.uuid(), sid: z.uuid() }).strict(), response: responses({ 204: z.null() }) },
      config: { access },
    },
    async (request, reply) => {
      await runAsActor(uow, request, (ctx) => removeLicense(ctx, request.params.id, request.params.uid, request.params.sid));
      return reply.code(204).send(null);
    },
  );
}
