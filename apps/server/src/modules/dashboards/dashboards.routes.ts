import { CustomerDashboard, OperatorDashboard, ProviderDashboard, ResellerDashboard } from '@tierlink/contract';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { getCustomerDashboard } from './get-customer-dashboard.ts';
import { getOperatorDashboard } from './get-operator-dashboard.ts';
import { getProviderDashboard } from './get-provider-dashboard.ts';
import { getResellerDashboard } from './get-reseller-dashboard.ts';

/** One home dashboard per kind of organization; each is the caller's own, so no parameter. */
export function registerDashboardRoutes(app: App, uow: UnitOfWorkDeps): void {
  app.get(
    '/api/v1/dashboards/provider',
    {
      schema: { tags: ['Dashboards'], summary: 'Indirect provider\'s home: resellers, customers, orders by month, credit, what ends soon', response: responses({ 200: ProviderDashboard }) },
      config: { access: 'dashboard.provider' },
    },
    async (request) => runAsActor(uow, request, getProviderDashboard),
  );

  app.get(
    '/api/v1/dashboards/reseller',
    {
      schema: { tags: ['Dashboards'], summary: 'Indirect reseller\'s home: customers, subscriptions by product, orders by month, credit, what waits', response: responses({ 200: ResellerDashboard }) },
      config: { access: 'dashboard.reseller' },
    },
    async (request) => runAsActor(uow, request, getResellerDashboard),
  );

  app.get(
    '/api/v1/dashboards/customer',
    {
      schema: { tags: ['Dashboards'], summary: 'Customer admin\'s home: partners and what each may do, partners\' recent actions', response: responses({ 200: CustomerDashboard }) },
      config: { access: 'dashboard.customer' },
    },
    async (request) => runAsActor(uow, request, getCustomerDashboard),
  );

  app.get(
    '/api/v1/dashboards/operator',
    {
      schema: { tags: ['Dashboards'], summary: 'Operator\'s home: the enrollment queue, partners by program and country, orders by month', response: responses({ 200: OperatorDashboard }) },
      config: { access: 'dashboard.operator' },
    },
    async (request) => runAsActor(uow, request, getOperatorDashboard),
  );
}
