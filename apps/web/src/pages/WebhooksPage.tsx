import { Button } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import type { WebhookEndpoint } from '@tierlink/client';
import { RouterLink } from '../components/links.tsx';
import { EmptyState, Loading, PageHeader } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Nowrap, RowActions, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { EnabledSwitch, EndpointDialog, EndpointStatus, EndpointUrl, EventTypeList } from '../components/webhooks.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useWebhookEndpoints } from '../queries/webhooks.ts';

/** Settings → Webhooks: the organization's endpoints; each opens its page (commands and delivery log). */
export function WebhooksPage() {
  const { t } = useI18n();
  const endpoints = useWebhookEndpoints();
  const items = endpoints.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('nav.webhooks')} description={t('webhooks.description')} actions={<CreateEndpoint />} />
      <ProblemBar error={endpoints.error} />
      {endpoints.isPending ? (
        <Loading />
      ) : items.length === 0 && !endpoints.isError ? (
        <EmptyState title={t('webhooks.empty.title')}>{t('webhooks.empty.text')}</EmptyState>
      ) : (
        <DataTable
          label={t('nav.webhooks')}
          columns={[t('column.url'), t('column.description'), t('column.events'), t('column.status'), t('column.created'), t('column.actions')]}
        >
          {items.map((e) => (
            <EndpointRow key={e.id} endpoint={e} />
          ))}
        </DataTable>
      )}
    </>
  );
}

function EndpointRow({ endpoint: e }: { endpoint: WebhookEndpoint }) {
  const { t, date } = useI18n();
  return (
    <TableRow>
      <TableCell>
        <RouterLink to="/settings/webhooks/$id" params={{ id: e.id }} aria-label={t('webhooks.open.label', { url: e.url })}>
          <EndpointUrl url={e.url} />
        </RouterLink>
      </TableCell>
      <TableCell>{e.description === '' ? <Secondary>{t('webhooks.noDescription')}</Secondary> : e.description}</TableCell>
      <TableCell>
        <EventTypeList types={e.eventTypes} />
      </TableCell>
      <TableCell>
        <EndpointStatus endpoint={e} />
      </TableCell>
      <TableCell>
        <Nowrap>{date(e.createdAt)}</Nowrap>
      </TableCell>
      <TableCell>
        <RowActions>
          <EnabledSwitch endpoint={e} labelled />
        </RowActions>
      </TableCell>
    </TableRow>
  );
}

function CreateEndpoint() {
  const { t } = useI18n();
  return (
    <EndpointDialog
      trigger={
        <Button appearance="primary" icon={<AddRegular />}>
          {t('webhooks.create')}
        </Button>
      }
    />
  );
}
