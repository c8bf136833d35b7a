import { z } from 'zod';
import { DelegatedAdminGrant, EndedPartnership, IdParams, IndirectProvider, IndirectReseller, PartnershipExportQuery, PartnershipListQuery, countedPage } from '@tierlink/contract';
import { sendCsv } from '../../platform/http/csv-response.ts';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { presentGrant } from '../delegated-admin/index.ts';
import { endPartnership } from './end-partnership.ts';
import { exportPartnerships, listPartnerships, type PartnershipListItem } from './list-partnerships.ts';
import { partnershipCsvCells, partnershipCsvColumns, presentPartnership } from './partnerships.presenter.ts';
import { removeProviderAdmin } from './remove-provider-admin.ts';

export function registerPartnershipRoutes(app: App, uow: UnitOfWorkDeps): void {
  const item = (side: 'provider' | 'reseller', now: Date) => (i: PartnershipListItem) => ({
    organization: side === 'provider' ? i.view.reseller : i.view.provider,
    partnership: presentPartnership(i.view),
    delegatedAdmin: i.grant === null ? null : presentGrant(i.grant, now),
  });

  for (const [path, side, label, item200, filename] of [
    ['/api/v1/indirect-providers', 'reseller', 'indirect providers', IndirectProvider, 'indirect-providers.csv'],
    ['/api/v1/indirect-resellers', 'provider', 'indirect resellers', IndirectReseller, 'indirect-resellers.csv'],
  ] as const) {
    app.get(
      path,
      {
        schema: {
          tags: ['Partnerships'],
          summary: `The caller's ${label}, sorted by name, country or since, searched by name or domain prefix`,
          querystring: PartnershipListQuery,
          response: responses({ 200: countedPage(item200) }),
        },
        config: { access: 'partnerships.read' },
      },
      async (request) => {
        const result = await runAsActor(uow, request, (ctx) => listPartnerships(ctx, side, request.query));
        return { items: result.items.map(item(side, uow.clock.now())), nextCursor: result.nextCursor, count: result.count };
      },
    );

    app.get(
      `${path}/export`,
      {
        schema: {
          tags: ['Partnerships'],
          summary: `Every one of the caller's ${label} the filters show, as CSV (streamed, in the order asked)`,
          querystring: PartnershipExportQuery,
          response: responses({ 200: z.string().meta({ contentMediaType: 'text/csv' }) }),
        },
        config: { access: 'partnerships.read' },
      },
      async (request, reply) => {
        const batches = await runAsActor(uow, request, async (ctx) => exportPartnerships(ctx, side, request.query));
        const other = (i: PartnershipListItem) => (side === 'provider' ? i.view.reseller : i.view.provider);
        return sendCsv(reply, filename, partnershipCsvColumns, batches, (i) => partnershipCsvCells(i.view, other(i), i.grant));
      },
    );
  }

  for (const [path, side] of [
    ['/api/v1/indirect-providers/:id', 'reseller'],
    ['/api/v1/indirect-resellers/:id', 'provider'],
  ] as const) {
    app.delete(
      path,
      {
        schema: {
          tags: ['Partnerships'],
          summary: side === 'reseller' ? 'End the partnership with an indirect provider' : 'End the partnership with an indirect reseller',
          params: IdParams,
          response: responses({ 200: EndedPartnership }),
        },
        config: { access: 'partnerships.manage' },
      },
      async (request) => {
        const result = await runAsActor(uow, request, (ctx) => endPartnership(ctx, side, request.params.id));
        const now = uow.clock.now();
        return { partnership: presentPartnership(result.partnership), remainingDelegatedAdmin: result.remaining.map((g) => presentGrant(g, now)) };
      },
    );
  }

  app.delete(
    '/api/v1/indirect-providers/:id/delegated-admin',
    {
      schema: {
        tags: ['Partnerships'],
        summary: 'Remove the provider\'s admin access to the own organization (the partnership stays)',
        params: IdParams,
        response: responses({ 200: z.object({ revoked: z.array(DelegatedAdminGrant) }) }, ['grant_not_active']),
      },
      config: { access: 'partnerships.manage' },
    },
    async (request) => {
      const revoked = await runAsActor(uow, request, (ctx) => removeProviderAdmin(ctx, request.params.id));
      const now = uow.clock.now();
      return { revoked: revoked.map((g) => presentGrant(g, now)) };
    },
  );
}
