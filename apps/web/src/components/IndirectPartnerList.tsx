import { Body1, Body1Strong, Checkbox, Field, makeStyles, SearchBox } from '@fluentui/react-components';
import type { PartnershipSort, SortOrder } from '@tierlink/contract';
import { PersonDeleteRegular, PlugDisconnectedRegular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { countryName, useI18n, type MessageKey } from '../i18n/index.tsx';
import { queryKeys, type PartnerSide } from '../queries/keys.ts';
import { partnerQuery, useIndirectPartners, type IndirectPartner } from '../queries/partners.ts';
import { can, useMe } from '../session.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { CreditLinesProvider, CreditSummary } from './credit.tsx';
import { GrantSummary } from './grants.tsx';
import { RouterButton } from './links.tsx';
import { EmptyState, Loading, PageHeader, Pager } from './page.tsx';
import { ProblemBar } from './problems.tsx';
import { DataTable, Nowrap, RowActions, rowButton, Secondary, TableCell, TableRow } from './table.tsx';
import { CountLine, defaultPageSize, DownloadCsv, ListControls, PageSizeSelect, searchOf, useListSort } from './lists.tsx';
import { useDebounced } from './useDebounced.ts';

/** The words of one side's list; both sides share the layout. */
const texts: Record<
  PartnerSide,
  {
    title: MessageKey;
    description: MessageKey;
    emptyTitle: MessageKey;
    emptyText: MessageKey;
    column: MessageKey;
    noAdminAccess: MessageKey;
    endText: MessageKey;
    count: MessageKey;
    countMore: MessageKey;
    exportLabel: MessageKey;
    exportPath: string;
    exportFile: string;
  }
> = {
  provider: {
    count: 'providers.count',
    countMore: 'providers.countMore',
    exportLabel: 'providers.export.label',
    exportPath: '/api/v1/indirect-providers/export',
    exportFile: 'indirect-providers.csv',
    title: 'nav.indirectProviders',
    description: 'providers.description',
    emptyTitle: 'providers.empty.title',
    emptyText: 'providers.empty.text',
    column: 'column.provider',
    noAdminAccess: 'providers.noAdminAccess',
    endText: 'partnership.end.providerText',
  },
  reseller: {
    count: 'resellers.count',
    countMore: 'resellers.countMore',
    exportLabel: 'resellers.export.label',
    exportPath: '/api/v1/indirect-resellers/export',
    exportFile: 'indirect-resellers.csv',
    title: 'nav.indirectResellers',
    description: 'resellers.description',
    emptyTitle: 'resellers.empty.title',
    emptyText: 'resellers.empty.text',
    column: 'column.reseller',
    noAdminAccess: 'resellers.noAdminAccess',
    endText: 'partnership.end.resellerText',
  },
};

export interface IndirectPartnerListProps {
  /** Whose list: the caller's providers or its resellers. */
  side: PartnerSide;
  /** The page's command (shown in the header and in the empty state). */
  action?: ReactNode;
  /** The row's own actions, before "End partnership". */
  rowActions(item: IndirectPartner): ReactNode;
}

const useStyles = makeStyles({ search: { minWidth: '280px' } });

/** Names and countries start A→Z; "since" starts with the newest partnership. */
const naturalOrder = (by: PartnershipSort): SortOrder => (by === 'since' ? 'desc' : 'asc');

/**
 * The caller's indirect providers or resellers: since when, the admin access, the credit line, the
 * actions; sorted (name, country, since), searched (name or domain prefix), counted, paged and
 * exported by the server.
 */
export function IndirectPartnerList({ side, action, rowActions }: IndirectPartnerListProps) {
  const { t } = useI18n();
  const styles = useStyles();
  const me = useMe();
  const words = texts[side];
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 300);
  const [limit, setLimit] = useState(defaultPageSize);
  const { sort, column } = useListSort<PartnershipSort>({ by: 'name', order: 'asc' }, naturalOrder);
  const view = { search, sort: sort.by, order: sort.order, limit };
  const { query, items, pager, count } = useIndirectPartners(side, view);
  const download = <DownloadCsv href={`${words.exportPath}${searchOf(partnerQuery(view))}`} filename={words.exportFile} title={t(words.exportLabel)} />;
  return (
    <>
      <PageHeader
        title={t(words.title)}
        description={t(words.description)}
        actions={
          <>
            {action}
            {download}
          </>
        }
      />
      <ListControls label={t('list.filters')}>
        <Field label={t('partners.search')} className={styles.search}>
          <SearchBox value={text} onChange={(_e, d) => setText(d.value)} />
        </Field>
        <PageSizeSelect value={limit} onChange={setLimit} />
      </ListControls>
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        search === '' ? (
          <EmptyState title={t(words.emptyTitle)} action={action}>
            {t(words.emptyText)}
          </EmptyState>
        ) : (
          <EmptyState title={t('partners.noMatch', { search })} />
        )
      ) : (
        // The page's credit lines come in one request with the page, not one per row.
        <CreditLinesProvider side={side} ids={items.map((i) => i.organization.id)} enabled={can(me, 'credit.read')}>
          <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact={words.count} more={words.countMore} />
          <DataTable
            label={t(words.title)}
            columns={[
              column(t(words.column), 'name'),
              column(t('column.country'), 'country'),
              column(t('column.since'), 'since'),
              t('column.adminAccess'),
              ...(can(me, 'credit.read') ? [t('column.credit')] : []),
              t('column.actions'),
            ]}
          >
            {items.map((item) => (
              <PartnerRow key={item.organization.id} side={side} item={item} actions={rowActions(item)} />
            ))}
          </DataTable>
        </CreditLinesProvider>
      )}
      <Pager {...pager} />
    </>
  );
}

function PartnerRow({ side, item, actions }: { side: PartnerSide; item: IndirectPartner; actions: ReactNode }) {
  const { t, locale, date } = useI18n();
  const me = useMe();
  const partner = item.organization;
  return (
    <TableRow>
      <TableCell>
        <Body1Strong block>{partner.name}</Body1Strong>
        <Secondary>{partner.domain}</Secondary>
      </TableCell>
      <TableCell>{countryName(locale, partner.country)}</TableCell>
      <TableCell>
        <Nowrap>{date(item.partnership.createdAt)}</Nowrap>
      </TableCell>
      <TableCell>{item.delegatedAdmin === null ? <Secondary>{t(texts[side].noAdminAccess)}</Secondary> : <GrantSummary grant={item.delegatedAdmin} />}</TableCell>
      {can(me, 'credit.read') ? (
        <TableCell>
          <CreditSummary id={partner.id} />
        </TableCell>
      ) : null}
      <TableCell>
        <RowActions>
          {actions}
          {can(me, 'partnerships.manage') ? <EndPartnership side={side} item={item} /> : null}
          {can(me, 'offboarding.read') ? (
            <RouterButton
              appearance="subtle"
              size="small"
              icon={<PersonDeleteRegular />}
              to="/offboarding/$kind/$id"
              params={{ kind: side === 'reseller' ? 'indirect-resellers' : 'indirect-providers', id: partner.id }}
            >
              {t('offboarding.open')}
            </RouterButton>
          ) : null}
        </RowActions>
      </TableCell>
    </TableRow>
  );
}

/**
 * Ends the partnership. A reseller may also remove its provider's admin access in the same step
 * (ticked by default); a provider's own admin access in a reseller is the reseller's to remove.
 */
function EndPartnership({ side, item }: { side: PartnerSide; item: IndirectPartner }) {
  const { t } = useI18n();
  const [alsoRemoveAdmin, setAlsoRemoveAdmin] = useState(true);
  const partner = item.organization;
  const offerAdminRemoval = side === 'provider' && item.delegatedAdmin !== null;
  return (
    <ConfirmDialog
      trigger={rowButton(<PlugDisconnectedRegular />, t('partnership.end'))}
      title={t('partnership.end.title', { name: partner.name })}
      confirmLabel={t('partnership.end')}
      action={async () => {
        if (side === 'reseller') return api.endPartnershipWithReseller({ id: partner.id });
        if (alsoRemoveAdmin && offerAdminRemoval) await api.removeProviderAdmin({ id: partner.id });
        return api.endPartnershipWithProvider({ id: partner.id });
      }}
      notice={(result) => t('partnership.end.done', { name: partner.name, count: result.remainingDelegatedAdmin.length })}
      invalidates={[queryKeys.partners(side).all]}
    >
      <Body1 as="p">{t(texts[side].endText, { name: partner.name })}</Body1>
      {offerAdminRemoval ? (
        <Checkbox checked={alsoRemoveAdmin} onChange={(_e, d) => setAlsoRemoveAdmin(d.checked === true)} label={t('partnership.end.alsoRemoveAdmin', { name: partner.name })} />
      ) : null}
    </ConfirmDialog>
  );
}
