import { Badge, Body1, Button } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import type { Invitation } from '@tierlink/client';
import type { InvitationState } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { StateFilter } from '../components/StateFilter.tsx';
import { useNotify } from '../components/notify.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Secondary, TableCell, TableRow, Nowrap } from '../components/table.tsx';
import { usePaged } from '../components/usePaged.ts';
import { useI18n } from '../i18n/index.tsx';

const states: readonly InvitationState[] = ['pending', 'accepted', 'declined', 'revoked', 'expired'];

/** The invitations the organization sent, and revoking the pending ones. */
export function SentInvitationsPage() {
  const { t } = useI18n();
  const [state, setState] = useState<InvitationState | ''>('');
  const { query, items, pager } = usePaged(['invitations', { state }], (cursor, signal) =>
    api.listInvitations({ query: { cursor, state: state === '' ? undefined : state }, signal }),
  );
  return (
    <>
      <PageHeader title={t('nav.invitations')} description={t('invitations.description')} />
      <StateFilter
        label={t('invitations.filter')}
        allLabel={t('invitations.all')}
        states={states}
        value={state}
        labelOf={(s) => t(`invitationState.${s}`)}
        onChange={setState}
      />
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t('invitations.empty.title')}>{t('invitations.empty.text')}</EmptyState>
      ) : (
        <DataTable
          label={t('nav.invitations')}
          columns={[t('column.invitee'), t('column.kind'), t('column.state'), t('column.sent'), t('column.expires'), t('column.actions')]}
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
  const notify = useNotify();
  const queryClient = useQueryClient();
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
            trigger={
              <Button size="small" appearance="subtle" icon={<DismissRegular />}>
                {t('invitations.revoke')}
              </Button>
            }
            title={t('invitations.revoke.title', { email: i.email })}
            confirmLabel={t('invitations.revoke')}
            action={() => api.revokeInvitation({ id: i.id })}
            onDone={() => {
              notify(t('invitations.revoke.done', { email: i.email }));
              void queryClient.invalidateQueries({ queryKey: ['invitations'] });
            }}
          >
            <Body1 as="p">{t('invitations.revoke.text')}</Body1>
          </ConfirmDialog>
        ) : null}
      </TableCell>
    </TableRow>
  );
}
