import { Field, makeStyles, SearchBox } from '@fluentui/react-components';
import type { SubscriptionSort, SubscriptionStatus } from '@tierlink/contract';
import { useState } from 'react';
import { RouterLink } from '../components/links.tsx';
import { CountLine, defaultPageSize, DownloadCsv, ListControls, PageSizeSelect, searchOf, useListSort } from '../components/lists.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { StateFilter } from '../components/StateFilter.tsx';
import { SubscriptionCells } from '../components/subscriptions.tsx';
import { DataTable, Nowrap, TableCell, TableRow } from '../components/table.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useI18n } from '../i18n/index.tsx';
import { partnerSubscriptionFilter, usePartnerSubscriptions } from '../queries/commerce.ts';

const statuses: readonly SubscriptionStatus[] = ['active', 'suspended'];

const useStyles = makeStyles({ search: { minWidth: '240px' } });

/**
 * Partner Center: every subscription the organization is provider or reseller of record of,
 * across its customers — sorted, searched by customer name, filtered by status, counted and paged
 * by the server; "Download CSV" exports what the filter shows, in the order shown.
 */
export function PartnerSubscriptionsPage() {
  const styles = useStyles();
  const { t, date } = useI18n();
  const [search, setSearch] = useState('');
  const customerName = useDebounced(search.trim(), 300);
  const [status, setStatus] = useState<SubscriptionStatus | ''>('');
  const [limit, setLimit] = useState(defaultPageSize);
  const { sort, column } = useListSort<SubscriptionSort>({ by: 'customer', order: 'asc' }, (by) => (by === 'createdAt' || by === 'quantity' ? 'desc' : 'asc'));
  const view = { customerName, status, sort: sort.by, order: sort.order, limit };
  const { query, items, pager, count } = usePartnerSubscriptions(view);
  const filtered = customerName !== '' || status !== '';
  return (
    <>
      <PageHeader
        title={t('subscriptions.title')}
        description={t('partnerSubscriptions.description')}
        actions={
          <DownloadCsv
            href={`/api/v1/partner-subscriptions/export${searchOf(partnerSubscriptionFilter(view))}`}
            filename="subscriptions.csv"
            title={t('partnerSubscriptions.export.label')}
          />
        }
      />
      <ListControls label={t('list.filters')}>
        <Field label={t('list.searchCustomer')} className={styles.search}>
          <SearchBox value={search} onChange={(_e, d) => setSearch(d.value)} />
        </Field>
        <StateFilter
          label={t('column.status')}
          allLabel={t('partnerSubscriptions.allStatuses')}
          states={statuses}
          value={status}
          labelOf={(s) => t(`subscriptionStatus.${s}`)}
          onChange={setStatus}
        />
        <PageSizeSelect value={limit} onChange={setLimit} />
      </ListControls>
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={filtered ? t('list.noMatch') : t('subscriptions.empty')}>{filtered ? undefined : t('partnerSubscriptions.empty')}</EmptyState>
      ) : (
        <>
          <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact="partnerSubscriptions.count" more="partnerSubscriptions.countMore" />
          <DataTable
            label={t('subscriptions.title')}
            columns={[
              column(t('column.customer'), 'customer'),
              column(t('column.product'), 'product'),
              column(t('column.quantity'), 'quantity'),
              t('column.billingCycle'),
              column(t('column.status'), 'status'),
              t('column.partners'),
              column(t('column.created'), 'createdAt'),
            ]}
          >
            {items.map((s) => (
              <TableRow key={s.id}>
                <TableCell>
                  <RouterLink to="/customers/$id" params={{ id: s.customer.id }}>
                    {s.customer.name}
                  </RouterLink>
                </TableCell>
                <SubscriptionCells subscription={s} />
                <TableCell>
                  <Nowrap>{date(s.createdAt)}</Nowrap>
                </TableCell>
              </TableRow>
            ))}
          </DataTable>
        </>
      )}
      <Pager {...pager} />
    </>
  );
}
