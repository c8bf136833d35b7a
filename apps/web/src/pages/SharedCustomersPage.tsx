import { Field, SearchBox, makeStyles } from '@fluentui/react-components';
import { PersonAddRegular } from '@fluentui/react-icons';
import { getRouteApi } from '@tanstack/react-router';
import type { CustomerSort } from '@tierlink/contract';
import { useState } from 'react';
import { CustomerTable } from '../components/CustomerTable.tsx';
import { RouterButton, RouterLink } from '../components/links.tsx';
import { CountLine, defaultPageSize, DownloadCsv, ListControls, PageSizeSelect, searchOf, useListSort } from '../components/lists.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useI18n } from '../i18n/index.tsx';
import { customerNaturalOrder, customerQuery, useSharedCustomers } from '../queries/customers.ts';
import { useIndirectPartnerNames } from '../queries/partners.ts';
import { can, useMe } from '../session.ts';

const route = getRouteApi('/app/indirect-providers/$id/customers');

const useStyles = makeStyles({ search: { minWidth: '280px' } });

/** Reseller: customers it shares with one provider (seed: "View customers"), sorted, searched, counted and exported like Customers. */
export function SharedCustomersPage() {
  const { t } = useI18n();
  const styles = useStyles();
  const me = useMe();
  const { id } = route.useParams();
  // The provider's name, from the (usually cached) first page of providers.
  const providers = useIndirectPartnerNames('provider');
  const provider = providers.data?.items.find((p) => p.organization.id === id)?.organization;
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 300);
  const [limit, setLimit] = useState(defaultPageSize);
  const { sort, column } = useListSort<CustomerSort>({ by: 'name', order: 'asc' }, customerNaturalOrder);
  const view = { search, sort: sort.by, order: sort.order, limit };
  const { query, items, pager, count } = useSharedCustomers(id, view);
  const invite = can(me, 'customers.invite') ? (
    <RouterButton appearance="primary" icon={<PersonAddRegular />} to="/customers/request" search={{ providerId: id }}>
      {t('providers.inviteCustomers')}
    </RouterButton>
  ) : undefined;
  return (
    <>
      <PageHeader
        title={provider === undefined ? t('shared.titleGeneric') : t('shared.title', { name: provider.name })}
        description={t('shared.description')}
        actions={
          <>
            {invite}
            <DownloadCsv href={`/api/v1/indirect-providers/${id}/customers/export${searchOf(customerQuery(view))}`} filename="shared-customers.csv" title={t('customers.export.label')} />
            <RouterLink to="/indirect-providers">{t('shared.back')}</RouterLink>
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
          <EmptyState title={t('shared.empty.title')} action={invite}>
            {t('shared.empty.text')}
          </EmptyState>
        ) : (
          <EmptyState title={t('customers.noMatch', { name: search })} />
        )
      ) : (
        <>
          <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact="customers.count" more="customers.countMore" />
          <CustomerTable label={t('shared.titleGeneric')} customers={items} column={column} />
        </>
      )}
      <Pager {...pager} />
    </>
  );
}
