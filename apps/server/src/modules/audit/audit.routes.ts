import { AuditEvent, AuditQuery, page } from '@tierlink/contract';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { presentAuditEvent } from './audit.presenter.ts';
import { listAuditEvents } from './list-audit-events.ts';

export function registerAuditRoutes(app: App, uow: UnitOfWorkDeps): void {
  app.get(
    '/api/v1/audit-events',
    {
      schema: { tags: ['Audit'], summary: 'Audit events that concern the caller\'s organization', querystring: AuditQuery, response: responses({ 200: page(AuditEvent) }) },
      config: { access: 'audit.read' },
    },
    async (request) => {
      const result = await runAsActor(uow, request, (ctx) => listAuditEvents(ctx, request.query));
      return { items: result.items.map(presentAuditEvent), nextCursor: result.nextCursor };
    },
  );
}
