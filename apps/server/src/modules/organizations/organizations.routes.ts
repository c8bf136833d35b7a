import { OnboardedPartner, OnboardPartnerBody, OperatorPartnerQuery, PartnerProfile, page } from '@tierlink/contract';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { presentOrganization, presentUser } from '../identity/index.ts';
import { listPartners } from './list-partners.ts';
import { onboardPartner } from './onboard-partner.ts';
import { presentPartnerProfile } from './organizations.presenter.ts';

export function registerOrganizationRoutes(app: App, uow: UnitOfWorkDeps): void {
  app.post(
    '/api/v1/operator/partners',
    {
      schema: { tags: ['Operator'], summary: 'Onboard an approved partner directly', body: OnboardPartnerBody, response: responses({ 201: OnboardedPartner }, ['email_taken', 'domain_taken']) },
      config: { access: 'operator.partners' },
    },
    async (request, reply) => {
      const { organization, user, profile } = await runAsActor(uow, request, (ctx) => onboardPartner(ctx, request.body));
      return reply.code(201).send({ organization: presentOrganization(organization, [profile]), user: presentUser(user) });
    },
  );

  app.get(
    '/api/v1/operator/partners',
    {
      schema: { tags: ['Operator'], summary: 'Partner profiles, by organization name', querystring: OperatorPartnerQuery, response: responses({ 200: page(PartnerProfile) }) },
      config: { access: 'operator.partners' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listPartners(ctx, request.query));
      return { items: result.items.map(presentPartnerProfile), nextCursor: result.nextCursor };
    },
  );
}
