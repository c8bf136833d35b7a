import { z } from 'zod';
import { OnboardedPartner, OnboardPartnerBody, OperatorPartnerExportQuery, OperatorPartnerQuery, PartnerProfile, countedPage } from '@tierlink/contract';
import { sendCsv } from '../../platform/http/csv-response.ts';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { presentOrganization, presentUser } from '../identity/index.ts';
import { exportPartners, listPartners } from './list-partners.ts';
import { onboardPartner } from './onboard-partner.ts';
import { partnerProfileCsvCells, partnerProfileCsvColumns, presentPartnerProfile } from './organizations.presenter.ts';

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
      schema: {
        tags: ['Operator'],
        summary: 'Partner profiles, by organization name or creation, filtered by name prefix and program',
        querystring: OperatorPartnerQuery,
        response: responses({ 200: countedPage(PartnerProfile) }),
      },
      config: { access: 'operator.partners' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listPartners(ctx, request.query));
      return { items: result.items.map(presentPartnerProfile), nextCursor: result.nextCursor, count: result.count };
    },
  );

  app.get(
    '/api/v1/operator/partners/export',
    {
      schema: {
        tags: ['Operator'],
        summary: 'Every partner profile the filters show, as CSV (streamed, in the order asked)',
        querystring: OperatorPartnerExportQuery,
        response: responses({ 200: z.string().meta({ contentMediaType: 'text/csv' }) }),
      },
      config: { access: 'operator.partners' },
    },
    async (request, reply) => {
      const batches = await runAsActor(uow, request, async (ctx) => exportPartners(ctx, request.query));
      return sendCsv(reply, 'partners.csv', partnerProfileCsvColumns, batches, partnerProfileCsvCells);
    },
  );
}
