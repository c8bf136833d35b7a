import type { OperatorDashboard } from '@tierlink/contract';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { ordersByMonth } from '../commerce/index.ts';
import { countEnrollmentQueue, partnersByProgramAndCountry } from '../organizations/index.ts';
import { monthWindow } from './dashboards.policy.ts';
import { presentOrdersByMonth } from './dashboards.presenter.ts';

/**
 * The operator's home. Orders are program-wide totals per month: the operator lists no orders,
 * so this section names no order, customer or partner (see docs/portal.md).
 */
export async function getOperatorDashboard(ctx: UseCaseContext): Promise<OperatorDashboard> {
  const now = ctx.clock.now();
  const window = monthWindow(now);
  return {
    enrollmentQueue: await countEnrollmentQueue(ctx.tx),
    partnersByProgram: await partnersByProgramAndCountry(ctx.tx),
    ordersByMonth: presentOrdersByMonth(window.months, await ordersByMonth(ctx.tx, 'all', window.since, now)),
  };
}
