import { Field, SearchBox, makeStyles } from '@fluentui/react-components';
import { PersonAddRegular } from '@fluentui/react-icons';
import type { CustomerSort } from '@tierlink/contract';
import { useState } from 'react';
import { CustomerTable } from '../components/CustomerTable.tsx';
import { RouterButton } from '../components/links.tsx';
import { CountLine, defaultPageSize, DownloadCsv, ListControls, PageSizeSelect, searchOf, useListSort } from '../components/lists.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useI18n } from '../i18n/index.tsx';
import { customerNaturalOrder, customerQuery, useCustomers } from '../queries/customers.ts';
import { can, useMe } from '../session.ts';

const useStyles = makeStyles({ search: { minWidth: '280px' } });

/** The caller's customers: sorted, searched (name or domain prefix), counted, paged and exported by the server. */
export function CustomersPage() {
  const { t } = useI18n();
  const styles = useStyles();
  const me = useMe();
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 300);
  const [limit, setLimit] = useState(defaultPageSize);
  const { sort, column } = useListSort<CustomerSort>({ by: 'name', order: 'asc' }, customerNaturalOrder);
  const view = { search, sort: sort.by, order: sort.order, limit };
  const { query, items, pager, count } = useCustomers(view);
  const request = can(me, 'customers.invite') ? (
    <RouterButton appearance="primary" icon={<PersonAddRegular />} to="/customers/request">
      {t('customers.request')}
    </RouterButton>
  ) : undefined;
  return (
    <>
      <PageHeader
        title={t('nav.customers')}
        description={t('customers.description')}
        actions={
          <>
            {request}
            <DownloadCsv href={`/api/v1/customers/export${searchOf(customerQuery(view))}`} filename="customers.csv" title={t('customers.export.label')} />
          </>
        }
      />
      <ListControls label={t('list.filters')}>
        <Field label={t('customers.search')} className={styles.search}>
          <SearchBox value={text} onChange={(_e, d) => setText(d.value)} />
        </Field>
        <PageSizeSelect value={limit} onChange={setLimit} />
      </ListControls>
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        search === '' ? (
          <EmptyState title={t('customers.empty.title')} action={request}>
            {t('customers.empty.text')}
          </EmptyState>
        ) : (
          <EmptyState title={t('customers.noMatch', { name: search })} />
        )
      ) : (
        <>
          <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact="customers.count" more="customers.countMore" />
          <CustomerTable label={t('nav.customers')} customers={items} column={column} />
        </>
      )}
      <Pager {...pager} />
    </>
  );
}
