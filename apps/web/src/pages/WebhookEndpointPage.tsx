import { Badge, Body1, Button, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular, ChevronDownRegular, ChevronRightRegular, DeleteRegular, EditRegular, KeyResetRegular, SendRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from '@tierlink/client';
import { useId, useMemo, useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { RouterLink } from '../components/links.tsx';
import { EmptyState, Loading, PageHeader, Pager, Section } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { StateFilter } from '../components/StateFilter.tsx';
import { DataTable, Nowrap, RowActions, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useFormDialog } from '../components/useForm.ts';
import { ActionButton, EnabledSwitch, EndpointDialog, EndpointStatus, EndpointUrl, EventTypeList, secretShown } from '../components/webhooks.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { useWebhookDeliveries, useWebhookEndpoint, type DeliveryStatus } from '../queries/webhooks.ts';

const route = getRouteApi('/app/settings/webhooks/$id');
const statuses: readonly DeliveryStatus[] = ['pending', 'succeeded', 'failed'];

const useStyles = makeStyles({
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalS, margin: `0 0 ${tokens.spacingVerticalXL}` },
  term: { color: tokens.colorNeutralForeground2 },
  dd: { margin: 0 },
  details: { backgroundColor: tokens.colorNeutralBackground2 },
  detailBody: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: `${tokens.spacingVerticalS} 0 ${tokens.spacingVerticalS} ${tokens.spacingHorizontalXXXL}` },
  attempts: { margin: 0, padding: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  line: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  code: { fontFamily: tokens.fontFamilyMonospace },
  nowrap: { whiteSpace: 'nowrap' },
  response: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    maxHeight: '160px',
    overflowY: 'auto',
    margin: `${tokens.spacingVerticalXS} 0 0`,
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
});

/** Seconds matter in a delivery log (the first retry follows after about five); the short date keeps rows narrow. */
function useTimeFormat(): (iso: string) => string {
  const { locale } = useI18n();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
    return (iso: string) => format.format(new Date(iso));
  }, [locale]);
}

/** One endpoint: what it receives, its commands, and its delivery log with every attempt. */
export function WebhookEndpointPage() {
  const styles = useStyles();
  const { t, date, dateTime } = useI18n();
  const { id } = route.useParams();
  const endpoint = useWebhookEndpoint(id);
  const back = <RouterLink to="/settings/webhooks">{t('webhooks.back')}</RouterLink>;
  if (endpoint.isPending) return <Loading />;
  if (endpoint.isError) {
    return (
      <>
        <PageHeader title={t('webhooks.endpoint')} actions={back} />
        <ProblemBar error={endpoint.error} />
      </>
    );
  }
  const e = endpoint.data;
  return (
    <>
      <PageHeader
        title={t('webhooks.endpoint')}
        description={<EndpointUrl url={e.url} />}
        actions={
          <>
            <EnabledSwitch endpoint={e} />
            <ActionButton icon={<SendRegular />} label={t('webhooks.test')} run={() => api.sendWebhookTest({ id: e.id })} done={t('webhooks.test.done', { url: e.url })} />
            <EndpointDialog endpoint={e} trigger={<Button icon={<EditRegular />}>{t('webhooks.edit')}</Button>} />
            <RotateSecret endpoint={e} />
            <DeleteEndpoint endpoint={e} />
            {back}
          </>
        }
      />
      <dl className={styles.facts}>
        <dt className={styles.term}>{t('column.description')}</dt>
        <dd className={styles.dd}>{e.description === '' ? <Secondary>{t('webhooks.noDescription')}</Secondary> : e.description}</dd>
        <dt className={styles.term}>{t('column.events')}</dt>
        <dd className={styles.dd}>
          <EventTypeList types={e.eventTypes} />
        </dd>
        <dt className={styles.term}>{t('column.status')}</dt>
        <dd className={styles.dd}>
          <EndpointStatus endpoint={e} />
        </dd>
        <dt className={styles.term}>{t('column.created')}</dt>
        <dd className={styles.dd}>{date(e.createdAt)}</dd>
        {e.previousSecretExpiresAt === null || Date.parse(e.previousSecretExpiresAt) < Date.now() ? null : (
          <>
            <dt className={styles.term}>{t('webhooks.secret')}</dt>
            <dd className={styles.dd}>{t('webhooks.previousSecret', { time: dateTime(e.previousSecretExpiresAt) })}</dd>
          </>
        )}
      </dl>
      <DeliveryLog endpoint={e} />
    </>
  );
}

/** Rotation is confirmed first (the 24 h overlap explained), then the new secret is shown once. */
function RotateSecret({ endpoint: e }: { endpoint: WebhookEndpoint }) {
  const { t } = useI18n();
  const rotate = useFormDialog<null, WebhookEndpointWithSecret>({
    initial: () => null,
    action: () => api.rotateWebhookSecret({ id: e.id }),
    invalidates: () => [queryKeys.webhooks.all],
    stayOpen: true,
  });
  const rotated = rotate.result;
  return (
    <FormDialog
      trigger={<Button icon={<KeyResetRegular />}>{t('webhooks.rotate')}</Button>}
      {...rotate.dialog}
      title={t('webhooks.rotate.title')}
      submitLabel={t('webhooks.rotate.submit')}
      done={rotated === undefined ? undefined : secretShown(t, t('webhooks.rotated.title'), rotated, () => rotate.setOpen(false))}
    >
      <Body1 as="p">{t('webhooks.rotate.text')}</Body1>
      <ProblemBar error={rotate.error} />
    </FormDialog>
  );
}

function DeleteEndpoint({ endpoint: e }: { endpoint: WebhookEndpoint }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invalidate = useInvalidate();
  return (
    <ConfirmDialog
      trigger={<Button icon={<DeleteRegular />}>{t('webhooks.delete')}</Button>}
      title={t('webhooks.delete.title', { url: e.url })}
      confirmLabel={t('webhooks.delete')}
      action={() => api.deleteWebhookEndpoint({ id: e.id })}
      notice={() => t('webhooks.delete.done', { url: e.url })}
      onDone={() => {
        // Leave first: refreshing this page's queries now would ask for what is gone (404).
        void navigate({ to: '/settings/webhooks' }).then(() => {
          queryClient.removeQueries({ queryKey: queryKeys.webhooks.endpoint(e.id) });
          return invalidate(queryKeys.webhooks.all);
        });
      }}
    >
      <Body1 as="p">{t('webhooks.delete.text')}</Body1>
    </ConfirmDialog>
  );
}

/** The endpoint's messages, newest first, filtered by status and paged with the API's cursor. */
function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const { query, items, pager } = useWebhookDeliveries(endpoint.id, status);
  return (
    <Section title={t('webhooks.deliveries')}>
      <StateFilter
        label={t('webhooks.deliveries.filter')}
        allLabel={t('webhooks.deliveries.all')}
        states={statuses}
        value={status}
        labelOf={(s) => t(`deliveryStatus.${s}`)}
        onChange={setStatus}
      />
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t(status === '' ? 'webhooks.deliveries.empty' : 'webhooks.deliveries.emptyFiltered')} />
      ) : (
        <DataTable
          label={t('webhooks.deliveries')}
          columns={[t('column.event'), t('column.status'), t('column.created'), t('column.nextAttempt'), t('column.attempts'), t('column.actions')]}
        >
          {items.map((d) => (
            <DeliveryRows key={d.id} delivery={d} />
          ))}
        </DataTable>
      )}
      <Pager {...pager} />
    </Section>
  );
}

const statusColor = { pending: 'informative', succeeded: 'success', failed: 'danger' } as const;

function DeliveryRows({ delivery: d }: { delivery: WebhookDelivery }) {
  const styles = useStyles();
  const { t } = useI18n();
  const time = useTimeFormat();
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const attempts = t('webhooks.attempts', { count: d.attempts.length });
  const created = time(d.createdAt);
  return (
    <>
      <TableRow>
        <TableCell>
          <span className={styles.code}>{d.eventType}</span>
        </TableCell>
        <TableCell>
          <Badge appearance="tint" shape="rounded" color={statusColor[d.status]}>
            {t(`deliveryStatus.${d.status}`)}
          </Badge>
        </TableCell>
        <TableCell>
          <Nowrap>{created}</Nowrap>
        </TableCell>
        <TableCell>{d.nextAttemptAt === null ? <Secondary>—</Secondary> : <Nowrap>{time(d.nextAttemptAt)}</Nowrap>}</TableCell>
        <TableCell>
          <Button
            size="small"
            appearance="subtle"
            className={styles.nowrap}
            icon={open ? <ChevronDownRegular /> : <ChevronRightRegular />}
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={t('webhooks.attempts.toggle', { attempts, type: d.eventType, time: created })}
            onClick={() => setOpen(!open)}
          >
            {attempts}
          </Button>
        </TableCell>
        <TableCell>
          <RowActions>
            <ActionButton
              icon={<ArrowClockwiseRegular />}
              label={t('webhooks.retry')}
              ariaLabel={t('webhooks.retry.label', { type: d.eventType, time: created })}
              inRow
              run={() => api.retryWebhookDelivery({ id: d.id })}
              done={t('webhooks.retry.done')}
            />
          </RowActions>
        </TableCell>
      </TableRow>
      {open ? (
        <TableRow className={styles.details} id={detailsId}>
          <TableCell colSpan={6}>
            <div className={styles.detailBody}>
              <Caption1 className={styles.code}>{t('webhooks.messageId', { id: d.id })}</Caption1>
              {d.attempts.length === 0 ? (
                <Secondary>{t('webhooks.attempts.none')}</Secondary>
              ) : (
                <ol className={styles.attempts}>
                  {d.attempts.map((a, i) => (
                    <AttemptItem key={i} attempt={a} />
                  ))}
                </ol>
              )}
            </div>
          </TableCell>
        </TableRow>
      ) : null}
    </>
  );
}

/** One attempt: when, the HTTP status or the error, how long, and the start of the answer. */
function AttemptItem({ attempt: a }: { attempt: WebhookAttempt }) {
  const styles = useStyles();
  const { t, number } = useI18n();
  const time = useTimeFormat();
  const ok = a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;
  return (
    <li>
      <div className={styles.line}>
        <Nowrap>{time(a.attemptedAt)}</Nowrap>
        <Badge appearance="tint" shape="rounded" color={ok ? 'success' : 'danger'}>
          {a.statusCode === null ? t('webhooks.attempt.error') : t('webhooks.attempt.http', { status: String(a.statusCode) })}
        </Badge>
        {a.error === null ? null : <span className={styles.code}>{a.error}</span>}
        <Secondary>{t('webhooks.attempt.duration', { ms: number(a.durationMs) })}</Secondary>
      </div>
      {a.response === null || a.response === '' ? null : (
        // Focusable: a long answer scrolls inside its box, and the keyboard must reach it.
        <pre className={styles.response} tabIndex={0} role="region" aria-label={t('webhooks.attempt.response', { time: time(a.attemptedAt) })}>
          {a.response}
        </pre>
      )}
    </li>
  );
}
