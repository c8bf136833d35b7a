import { z } from 'zod';
import { DelegatedAdminGrant, EndedPartnership, IdParams, IndirectProvider, IndirectReseller, PageQuery, page } from '@tierlink/contract';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { presentGrant } from '../delegated-admin/index.ts';
import { endPartnership } from './end-partnership.ts';
import { listPartnerships, type PartnershipListItem } from './list-partnerships.ts';
import { presentPartnership } from './partnerships.presenter.ts';
import { removeProviderAdmin } from './remove-provider-admin.ts';

export function registerPartnershipRoutes(app: App, uow: UnitOfWorkDeps): void {
  const item = (side: 'provider' | 'reseller', now: Date) => (i: PartnershipListItem) => ({
    organization: side === 'provider' ? i.view.reseller : i.view.provider,
    partnership: presentPartnership(i.view),
    delegatedAdmin: i.grant === null ? null : presentGrant(i.grant, now),
  });

  app.get(
    '/api/v1/indirect-providers',
    {
      schema: { tags: ['Partnerships'], summary: 'The caller\'s indirect providers', querystring: PageQuery, response: responses({ 200: page(IndirectProvider) }) },
      config: { access: 'partnerships.read' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listPartnerships(ctx, 'reseller', request.query));
      return { items: result.items.map(item('reseller', uow.clock.now())), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/indirect-resellers',
    {
      schema: { tags: ['Partnerships'], summary: 'The caller\'s indirect resellers', querystring: PageQuery, response: responses({ 200: page(IndirectReseller) }) },
      config: { access: 'partnerships.read' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listPartnerships(ctx, 'provider', request.query));
      return { items: result.items.map(item('provider', uow.clock.now())), nextCursor: result.nextCursor };
    },
  );

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
