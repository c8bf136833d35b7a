import { Field, makeStyles, SearchBox } from '@fluentui/react-components';
import type { OrderSort, OrderState } from '@tierlink/contract';
import { useState } from 'react';
import { RouterLink } from '../components/links.tsx';
import { CountLine, defaultPageSize, DownloadCsv, ListControls, PageSizeSelect, searchOf, useListSort } from '../components/lists.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { StateFilter } from '../components/StateFilter.tsx';
import { OrderLines, Parties } from '../components/subscriptions.tsx';
import { DataTable, Nowrap, TableCell, TableRow } from '../components/table.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useI18n } from '../i18n/index.tsx';
import { partnerOrderFilter, useCatalog, usePartnerOrders } from '../queries/commerce.ts';

const states: readonly OrderState[] = ['completed', 'pending', 'failed'];

const useStyles = makeStyles({
  search: { minWidth: '240px' },
});

/**
 * Partner Center: every order the organization is provider or reseller of record of, across its
 * customers — sorted, searched by customer name, filtered by state, counted and paged by the
 * server; "Download CSV" exports what the filter shows.
 */
export function PartnerOrdersPage() {
  const styles = useStyles();
  const { t, dateTime, money } = useI18n();
  const [search, setSearch] = useState('');
  const customerName = useDebounced(search.trim(), 300);
  const [state, setState] = useState<OrderState | ''>('');
  const [limit, setLimit] = useState(defaultPageSize);
  const { sort, column } = useListSort<OrderSort>({ by: 'createdAt', order: 'desc' }, (by) => (by === 'customer' ? 'asc' : 'desc'));
  const view = { customerName, state, sort: sort.by, order: sort.order, limit };
  const { query, items, pager, count } = usePartnerOrders(view);
  // Order lines name their SKU by id: the catalog (small, cached) names them.
  const catalog = useCatalog();
  const skuNames = new Map((catalog.data?.items ?? []).flatMap((p) => p.skus.map((s) => [s.id, s.name] as const)));
  const filtered = customerName !== '' || state !== '';
  return (
    <>
      <PageHeader
        title={t('orders.title')}
        description={t('partnerOrders.description')}
        actions={<DownloadCsv href={`/api/v1/partner-orders/export${searchOf(partnerOrderFilter(view))}`} filename="orders.csv" title={t('partnerOrders.export.label')} />}
      />
      <ListControls label={t('list.filters')}>
        <Field label={t('list.searchCustomer')} className={styles.search}>
          <SearchBox value={search} onChange={(_e, d) => setSearch(d.value)} />
        </Field>
        <StateFilter label={t('column.state')} allLabel={t('partnerOrders.allStates')} states={states} value={state} labelOf={(s) => t(`orderState.${s}`)} onChange={setState} />
        <PageSizeSelect value={limit} onChange={setLimit} />
      </ListControls>
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={filtered ? t('list.noMatch') : t('orders.empty')}>{filtered ? undefined : t('partnerOrders.empty')}</EmptyState>
      ) : (
        <>
          <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact="partnerOrders.count" more="partnerOrders.countMore" />
          <DataTable
            label={t('orders.title')}
            columns={[
              column(t('column.placed'), 'createdAt'),
              column(t('column.customer'), 'customer'),
              t('column.lines'),
              t('column.partners'),
              column(t('column.total'), 'total'),
              column(t('column.state'), 'state'),
            ]}
          >
            {items.map((o) => (
              <TableRow key={o.id}>
                <TableCell>
                  <Nowrap>{dateTime(o.createdAt)}</Nowrap>
                </TableCell>
                <TableCell>
                  <RouterLink to="/customers/$id" params={{ id: o.customer.id }}>
                    {o.customer.name}
                  </RouterLink>
                </TableCell>
                <TableCell>
                  <OrderLines order={o} nameOf={(l) => skuNames.get(l.skuId) ?? t('orders.unknownSku')} />
                </TableCell>
                <TableCell>
                  <Parties provider={o.provider} reseller={o.reseller} />
                </TableCell>
                <TableCell>
                  <Nowrap>{money(o.totalAmount, o.currency)}</Nowrap>
                </TableCell>
                <TableCell>{t(`orderState.${o.state}`)}</TableCell>
              </TableRow>
            ))}
          </DataTable>
        </>
      )}
      <Pager {...pager} />
    </>
  );
}
