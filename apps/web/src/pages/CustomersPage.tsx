import { Field, SearchBox, makeStyles } from '@fluentui/react-components';
import { PersonAddRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { CustomerTable } from '../components/CustomerTable.tsx';
import { RouterButton } from '../components/links.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useI18n } from '../i18n/index.tsx';
import { useCustomers } from '../queries/customers.ts';
import { can, useMe } from '../session.ts';

const useStyles = makeStyles({ search: { maxWidth: '360px', marginBottom: '12px' } });

export function CustomersPage() {
  const { t } = useI18n();
  const styles = useStyles();
  const me = useMe();
  const [search, setSearch] = useState('');
  const name = useDebounced(search.trim(), 300);
  const { query, items, pager } = useCustomers(name);
  const request = can(me, 'customers.invite') ? (
    <RouterButton appearance="primary" icon={<PersonAddRegular />} to="/customers/request">
      {t('customers.request')}
    </RouterButton>
  ) : undefined;
  return (
    <>
      <PageHeader title={t('nav.customers')} description={t('customers.description')} actions={request} />
      <Field label={t('customers.search')} className={styles.search}>
        <SearchBox value={search} onChange={(_e, d) => setSearch(d.value)} />
      </Field>
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        name === '' ? (
          <EmptyState title={t('customers.empty.title')} action={request}>
            {t('customers.empty.text')}
          </EmptyState>
        ) : (
          <EmptyState title={t('customers.noMatch', { name })} />
        )
      ) : (
        <CustomerTable label={t('nav.customers')} customers={items} />
      )}
      <Pager {...pager} />
    </>
  );
}
