import { MailboxMessage, MailboxQuery, page } from '@tierlink/contract';
import { notFound } from '../../platform/errors.ts';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { Sealer } from '../../platform/seal.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { listMailbox } from './list-mailbox.ts';
import { withPortalOrigin } from './notifications.presenter.ts';

export function registerNotificationRoutes(app: App, uow: UnitOfWorkDeps, options: { mailboxEnabled: boolean; sealer: Sealer }): void {
  app.get(
    '/api/v1/mailbox',
    {
      schema: {
        tags: ['Mailbox'],
        summary: 'The embedded mailbox (only when no SMTP server is configured)',
        querystring: MailboxQuery,
        response: responses({ 200: page(MailboxMessage) }, ['not_found']),
      },
      config: { access: 'authenticated' },
    },
    async (request) => {
      if (!options.mailboxEnabled) throw notFound('mailbox');
      const result = await runAsActor(uow, request, (ctx) => listMailbox(ctx, request.query));
      return {
        items: result.items.map((r) => ({
          id: r.id,
          to: r.toAddress,
          subject: r.subject,
          text: withPortalOrigin(options.sealer.open(r.body), request.portalOrigin),
          createdAt: r.createdAt.toISOString(),
        })),
        nextCursor: result.nextCursor,
      };
    },
  );
}
