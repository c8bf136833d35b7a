import { Badge, Body1 } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { Invitation } from '@tierlink/client';
import type { InvitationState } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { StateFilter } from '../components/StateFilter.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Nowrap, rowButton, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useI18n } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { useInvitations } from '../queries/organization.ts';

const states: readonly InvitationState[] = ['pending', 'accepted', 'declined', 'revoked', 'expired'];

/** The invitations the organization sent, and revoking the pending ones. */
export function SentInvitationsPage() {
  const { t } = useI18n();
  const [state, setState] = useState<InvitationState | ''>('');
  const { query, items, pager } = useInvitations(state);
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
