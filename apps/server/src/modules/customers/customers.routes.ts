import { z } from 'zod';
import {
  Customer,
  CustomerExportQuery,
  CustomerListQuery,
  CustomerPartner,
  CustomerPartnerExportQuery,
  CustomerPartnerListQuery,
  DelegatedAdminGrant,
  GrantParams,
  IdParams,
  ImportRelationshipsBody,
  ImportRelationshipsResult,
  RemovedRelationship,
  RemoveRelationshipBody,
  countedPage,
} from '@tierlink/contract';
import { sendCsv } from '../../platform/http/csv-response.ts';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { presentGrant, revokeDelegatedAdmin } from '../delegated-admin/index.ts';
import {
  customerCsvCells,
  customerCsvColumns,
  customerCsvRows,
  customerPartnerCsvCells,
  customerPartnerCsvColumns,
  presentCustomer,
  presentCustomers,
  presentRelationship,
} from './customers.presenter.ts';
import { getCustomer, listCustomerGrants } from './get-customer.ts';
import { importRelationships, parseRelationshipCsv } from './import-relationships.ts';
import { exportCustomers, listCustomers, listSharedCustomers, type CustomerPage } from './list-customers.ts';
import { exportCustomerPartners, listCustomerPartners } from './list-partners.ts';
import { removeRelationship, type SubscriptionsLeftBehind } from './remove-relationship.ts';

export interface CustomerRouteOptions {
  subscriptionsLeftBehind: SubscriptionsLeftBehind;
}

export function registerCustomerRoutes(app: App, uow: UnitOfWorkDeps, options: CustomerRouteOptions): void {
  const presentPage = (result: CustomerPage) => {
    const now = uow.clock.now();
    return { items: presentCustomers(result.items, result.grants, now), nextCursor: result.nextCursor, count: result.count };
  };
  /** Streams the export's batches as CSV rows. */
  async function* csvRows(batches: AsyncIterable<Parameters<typeof customerCsvRows>[0]>) {
    for await (const batch of batches) yield customerCsvRows(batch);
  }
  const csvCells = (row: ReturnType<typeof customerCsvRows>[number]) => customerCsvCells(row.view, row.grants);

  app.get(
    '/api/v1/customers',
    {
      schema: {
        tags: ['Customers'],
        summary: 'The caller\'s customers, sorted by name, domain, country or since, searched by name or domain prefix',
        querystring: CustomerListQuery,
        response: responses({ 200: countedPage(Customer) }),
      },
      config: { access: 'customers.read' },
    },
    async (request) => presentPage(await runAsActor(uow, request, (ctx) => listCustomers(ctx, request.query))),
  );

  app.get(
    '/api/v1/customers/export',
    {
      schema: {
        tags: ['Customers'],
        summary: 'Every customer the filters show, as CSV (streamed, in the order asked, no row limit)',
        querystring: CustomerExportQuery,
        response: responses({ 200: z.string().meta({ contentMediaType: 'text/csv' }) }),
      },
      config: { access: 'customers.read' },
    },
    async (request, reply) => {
      const batches = await runAsActor(uow, request, (ctx) => exportCustomers(ctx, request.query));
      return sendCsv(reply, 'customers.csv', customerCsvColumns, csvRows(batches), csvCells);
    },
  );

  app.get(
    '/api/v1/customers/:id',
    {
      schema: { tags: ['Customers'], summary: 'One customer of the caller', params: IdParams, response: responses({ 200: Customer }) },
      config: { access: 'customers.read' },
    },
    async (request) => {
      const { view, grants } = await runAsActor(uow, request, (ctx) => getCustomer(ctx, request.params.id));
      return presentCustomer(view, grants, uow.clock.now());
    },
  );

  app.get(
    '/api/v1/indirect-providers/:id/customers',
    {
      schema: {
        tags: ['Customers'],
        summary: 'Customers the caller shares with one of its indirect providers',
        params: IdParams,
        querystring: CustomerListQuery,
        response: responses({ 200: countedPage(Customer) }),
      },
      config: { access: 'customers.read' },
    },
    async (request) => presentPage(await runAsActor(uow, request, (ctx) => listSharedCustomers(ctx, request.params.id, request.query))),
  );

  app.get(
    '/api/v1/indirect-providers/:id/customers/export',
    {
      schema: {
        tags: ['Customers'],
        summary: 'Every customer the caller shares with one of its indirect providers that the filters show, as CSV',
        params: IdParams,
        querystring: CustomerExportQuery,
        response: responses({ 200: z.string().meta({ contentMediaType: 'text/csv' }) }),
      },
      config: { access: 'customers.read' },
    },
    async (request, reply) => {
      const batches = await runAsActor(uow, request, (ctx) => exportCustomers(ctx, request.query, request.params.id));
      return sendCsv(reply, 'shared-customers.csv', customerCsvColumns, csvRows(batches), csvCells);
    },
  );

  app.post(
    '/api/v1/customers/:id/relationship/remove',
    {
      schema: {
        tags: ['Customers'],
        summary: 'Remove the reseller relationship (needs the good-faith attestation)',
        params: IdParams,
        body: RemoveRelationshipBody,
        response: responses({ 200: RemovedRelationship }, ['attestation_required']),
      },
      config: { access: 'customers.remove' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => removeRelationship(ctx, request.params.id, request.body, options.subscriptionsLeftBehind));
      const now = uow.clock.now();
      return {
        relationship: presentRelationship(result.relationship),
        remainingDelegatedAdmin: result.remaining.map((g) => presentGrant(g, now)),
        revokedDelegatedAdmin: result.revoked.map((g) => presentGrant(g, now)),
        remainingSubscriptions: result.subscriptions,
      };
    },
  );

  app.get(
    '/api/v1/customers/:id/delegated-admin',
    {
      schema: {
        tags: ['Delegated admin'],
        summary: 'The caller\'s delegated admin grants in a customer',
        params: IdParams,
        response: responses({ 200: z.object({ items: z.array(DelegatedAdminGrant) }) }),
      },
      config: { access: 'customers.read' },
    },
    async (request) => {
      const grants = await runAsActor(uow, request, (ctx) => listCustomerGrants(ctx, request.params.id));
      const now = uow.clock.now();
      return { items: grants.map((g) => presentGrant(g, now)) };
    },
  );

  app.delete(
    '/api/v1/customers/:id/delegated-admin/:grantId',
    {
      schema: { tags: ['Delegated admin'], summary: 'Revoke the caller\'s own grant in a customer', params: GrantParams, response: responses({ 200: DelegatedAdminGrant }, ['grant_not_active']) },
      config: { access: 'customers.remove' },
    },
    async (request) => {
      const view = await runAsActor(uow, request, (ctx) =>
        revokeDelegatedAdmin(ctx, request.params.grantId, {
          partnerOrganizationId: ctx.actor.organizationId,
          organizationId: request.params.id,
        }),
      );
      return presentGrant(view, uow.clock.now());
    },
  );

  app.get(
    '/api/v1/partners',
    {
      schema: {
        tags: ['Customer admin'],
        summary: 'Every partner with a relationship or admin access, sorted by name, domain or country, searched by name or domain prefix',
        querystring: CustomerPartnerListQuery,
        response: responses({ 200: countedPage(CustomerPartner) }),
      },
      config: { access: 'partners.read' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listCustomerPartners(ctx, request.query));
      const now = uow.clock.now();
      return {
        items: result.items.map((i) => ({
          organization: i.organization,
          relationship: i.relationship === null ? null : presentRelationship(i.relationship),
          delegatedAdmin: i.grants.map((g) => presentGrant(g, now)),
        })),
        nextCursor: result.nextCursor,
        count: result.count,
      };
    },
  );

  app.get(
    '/api/v1/partners/export',
    {
      schema: {
        tags: ['Customer admin'],
        summary: 'Every partner the filters show, as CSV (streamed, in the order asked)',
        querystring: CustomerPartnerExportQuery,
        response: responses({ 200: z.string().meta({ contentMediaType: 'text/csv' }) }),
      },
      config: { access: 'partners.read' },
    },
    async (request, reply) => {
      const batches = await runAsActor(uow, request, async (ctx) => exportCustomerPartners(ctx, request.query));
      const now = uow.clock.now();
      return sendCsv(reply, 'partners.csv', customerPartnerCsvColumns, batches, (item) => customerPartnerCsvCells(item, now));
    },
  );

  app.delete(
    '/api/v1/partners/:id/delegated-admin/:grantId',
    {
      schema: { tags: ['Customer admin'], summary: 'Revoke a partner\'s admin access to the own organization', params: GrantParams, response: responses({ 200: DelegatedAdminGrant }, ['grant_not_active']) },
      config: { access: 'partners.revoke' },
    },
    async (request) => {
      const view = await runAsActor(uow, request, (ctx) =>
        revokeDelegatedAdmin(ctx, request.params.grantId, {
          partnerOrganizationId: request.params.id,
          organizationId: ctx.actor.organizationId,
        }),
      );
      return presentGrant(view, uow.clock.now());
    },
  );

  app.post(
    '/api/v1/operator/reseller-relationships/import',
    {
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['Operator'],
        summary: 'Import pre-existing reseller relationships (JSON, or CSV as text/csv)',
        body: z.union([ImportRelationshipsBody, z.string().max(4 * 1024 * 1024)]),
        response: responses({ 200: ImportRelationshipsResult }),
      },
      config: { access: 'operator.import' },
    },
    async (request) => {
      const rows = typeof request.body === 'string' ? parseRelationshipCsv(request.body) : request.body.items;
      return runAsActor(uow, request, (ctx) => importRelationships(ctx, rows));
    },
  );
}
