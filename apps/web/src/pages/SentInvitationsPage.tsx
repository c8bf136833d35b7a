import { Badge, Body1, Field, makeStyles, SearchBox } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { Invitation } from '@tierlink/client';
import type { InvitationSort, InvitationState } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { StateFilter } from '../components/StateFilter.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { CountLine, defaultPageSize, DownloadCsv, ListControls, PageSizeSelect, searchOf, useListSort } from '../components/lists.tsx';
import { DataTable, Nowrap, rowButton, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useI18n } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { invitationQuery, useInvitations } from '../queries/organization.ts';

const states: readonly InvitationState[] = ['pending', 'accepted', 'declined', 'revoked', 'expired'];

const useStyles = makeStyles({
  search: { minWidth: '240px' },
});

/** The invitations the organization sent, sorted, searched, counted, paged and exported by the server; revoking the pending ones. */
export function SentInvitationsPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const [state, setState] = useState<InvitationState | ''>('');
  const [search, setSearch] = useState('');
  const email = useDebounced(search.trim(), 300);
  // A click on the sorted column turns it around; another column starts in its natural order.
  const { sort, column } = useListSort<InvitationSort>({ by: 'createdAt', order: 'desc' }, (by) => (by === 'email' ? 'asc' : 'desc'));
  const [limit, setLimit] = useState<number>(defaultPageSize);
  const view = { state, email, sort: sort.by, order: sort.order, limit };
  const { query, items, pager, count } = useInvitations(view);
  return (
    <>
      <PageHeader
        title={t('nav.invitations')}
        description={t('invitations.description')}
        actions={<DownloadCsv href={`/api/v1/invitations/export${searchOf(invitationQuery(view))}`} filename="invitations.csv" title={t('invitations.export.label')} />}
      />
      <ListControls label={t('list.filters')}>
        <StateFilter
          label={t('invitations.filter')}
          allLabel={t('invitations.all')}
          states={states}
          value={state}
          labelOf={(s) => t(`invitationState.${s}`)}
          onChange={setState}
        />
        <Field label={t('invitations.search')} className={styles.search}>
          <SearchBox value={search} onChange={(_e, d) => setSearch(d.value)} />
        </Field>
        <PageSizeSelect value={limit} onChange={setLimit} />
      </ListControls>
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={email === '' ? t('invitations.empty.title') : t('invitations.empty.search', { email })}>{t('invitations.empty.text')}</EmptyState>
      ) : (
        <>
          <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact="invitations.count" more="invitations.countMore" />
          <DataTable
            label={t('nav.invitations')}
            columns={[
              column(t('column.invitee'), 'email'),
              t('column.kind'),
              t('column.state'),
              column(t('column.sent'), 'createdAt'),
              column(t('column.expires'), 'expiresAt'),
              t('column.actions'),
            ]}
          >
            {items.map((i) => (
              <InvitationRow key={i.id} invitation={i} />
            ))}
          </DataTable>
        </>
      )}
      <Pager {...pager} />
    </>
  );
}

function InvitationRow({ invitation: i }: { invitation: Invitation }) {
  const { t, dateTime } = useI18n();
  const color = i.state === 'pending' ? 'informative' : i.state === 'accepted' ? 'success' : 'subtle';
  return (
    <TableRow>
      <TableCell>{i.email}</TableCell>
      <TableCell>
        {i.kind === 'partnership'
          ? t('invitationKind.partnership')
          : i.provider === null
            ? t('invitationKind.customer')
            : t('invitations.jointWith', { name: i.provider.name })}
      </TableCell>
      <TableCell>
        <Badge appearance="tint" color={color} shape="rounded">
          {t(`invitationState.${i.state}`)}
        </Badge>
      </TableCell>
      <TableCell>
        <Nowrap>{dateTime(i.createdAt)}</Nowrap>
      </TableCell>
      <TableCell>{i.state === 'pending' ? dateTime(i.expiresAt) : <Secondary>—</Secondary>}</TableCell>
      <TableCell>
        {i.state === 'pending' ? (
          <ConfirmDialog
            trigger={rowButton(<DismissRegular />, t('invitations.revoke'))}
            title={t('invitations.revoke.title', { email: i.email })}
            confirmLabel={t('invitations.revoke')}
            action={() => api.revokeInvitation({ id: i.id })}
            notice={() => t('invitations.revoke.done', { email: i.email })}
            invalidates={[queryKeys.invitations.all]}
          >
            <Body1 as="p">{t('invitations.revoke.text')}</Body1>
          </ConfirmDialog>
        ) : null}
      </TableCell>
    </TableRow>
  );
}
