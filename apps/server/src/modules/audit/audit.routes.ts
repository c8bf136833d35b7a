import { z } from 'zod';
import { AuditEvent, AuditExportQuery, AuditQuery, countedPage } from '@tierlink/contract';
import { sendCsv } from '../../platform/http/csv-response.ts';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { auditCsvCells, auditCsvColumns, presentAuditEvent } from './audit.presenter.ts';
import { exportAuditEvents } from './export-audit-events.ts';
import { listAuditEvents, type AuditFilter } from './list-audit-events.ts';

/** The query's filters as the repository takes them (timestamps as dates). */
function filterOf(query: Omit<z.output<typeof AuditExportQuery>, 'order'>): AuditFilter {
  return {
    ...query,
    from: query.from === undefined ? undefined : new Date(query.from),
    to: query.to === undefined ? undefined : new Date(query.to),
  };
}

export function registerAuditRoutes(app: App, uow: UnitOfWorkDeps): void {
  app.get(
    '/api/v1/audit-events',
    {
      schema: {
        tags: ['Audit'],
        summary: 'Audit events that concern the caller\'s organization, newest first (or oldest first), filtered by time, actor, action, object and on-behalf-of organization',
        querystring: AuditQuery,
        response: responses({ 200: countedPage(AuditEvent) }),
      },
      config: { access: 'audit.read' },
    },
    async (request) => {
      const { limit, cursor, count, order, ...filter } = request.query;
      const result = await runAsActor(uow, request, (ctx) => listAuditEvents(ctx, { limit, cursor, count, order, ...filterOf(filter) }));
      return { items: result.items.map(presentAuditEvent), nextCursor: result.nextCursor, count: result.count };
    },
  );

  app.get(
    '/api/v1/audit-events/export',
    {
      schema: {
        tags: ['Audit'],
        summary: 'Every audit event the filters show, as CSV (streamed, newest first unless order=asc, no row limit)',
        querystring: AuditExportQuery,
        response: responses({ 200: z.string().meta({ contentMediaType: 'text/csv' }) }),
      },
      config: { access: 'audit.read' },
    },
    async (request, reply) => {
      const { order, ...filter } = request.query;
      const batches = await runAsActor(uow, request, async (ctx) => exportAuditEvents(ctx, filterOf(filter), order));
      return sendCsv(reply, 'audit-log.csv', auditCsvColumns, batches, auditCsvCells);
    },
  );
}
