import { Badge, Body1, Field, makeStyles, SearchBox, Select, tokens } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { Invitation } from '@tierlink/client';
import type { InvitationSort, InvitationState } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { StateFilter } from '../components/StateFilter.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Nowrap, rowButton, Secondary, TableCell, TableRow, type SortableColumn } from '../components/table.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useI18n } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { useInvitations } from '../queries/organization.ts';

const states: readonly InvitationState[] = ['pending', 'accepted', 'declined', 'revoked', 'expired'];

const useStyles = makeStyles({
  controls: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', marginBottom: tokens.spacingVerticalM },
  search: { minWidth: '240px' },
});

const pageSizes = [25, 50, 100] as const;

/** The invitations the organization sent, sorted, searched and paged by the server; revoking the pending ones. */
export function SentInvitationsPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const [state, setState] = useState<InvitationState | ''>('');
  const [search, setSearch] = useState('');
  const email = useDebounced(search.trim(), 300);
  const [sort, setSort] = useState<{ by: InvitationSort; order: 'asc' | 'desc' }>({ by: 'createdAt', order: 'desc' });
  const [limit, setLimit] = useState<number>(50);
  const { query, items, pager } = useInvitations({ state, email, sort: sort.by, order: sort.order, limit });
  // A click on the sorted column turns it around; another column starts in its natural order.
  const column = (label: string, by: InvitationSort): SortableColumn => ({
    label,
    direction: sort.by === by ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined,
    onSort: () => setSort((old) => (old.by === by ? { by, order: old.order === 'asc' ? 'desc' : 'asc' } : { by, order: by === 'email' ? 'asc' : 'desc' })),
  });
  return (
    <>
      <PageHeader title={t('nav.invitations')} description={t('invitations.description')} />
      <div className={styles.controls}>
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
        <Field label={t('table.pageSize')}>
          <Select value={String(limit)} onChange={(_e, d) => setLimit(pageSizes.find((n) => String(n) === d.value) ?? 50)}>
            {pageSizes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={email === '' ? t('invitations.empty.title') : t('invitations.empty.search', { email })}>{t('invitations.empty.text')}</EmptyState>
      ) : (
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
