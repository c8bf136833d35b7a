import {
  Body1,
  Body1Strong,
  Button,
  Field,
  Input,
  Textarea,
} from '@fluentui/react-components';
import { PersonAddRegular, PlugDisconnectedRegular } from '@fluentui/react-icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { IndirectReseller } from '@tierlink/client';
import { useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/FormDialog.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { CreditSummary, SetCreditLimit } from '../components/credit.tsx';
import { GrantSummary } from '../components/grants.tsx';
import { useNotify } from '../components/notify.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { fieldProps, ProblemBar } from '../components/problems.tsx';
import { DataTable, RowActions, Secondary, TableCell, TableRow, Nowrap } from '../components/table.tsx';
import { usePaged } from '../components/usePaged.ts';
import { countryName, useI18n } from '../i18n/index.tsx';
import { can, useMe } from '../session.ts';

/** Provider: the resellers it works with (seed: "Indirect resellers"). */
export function IndirectResellersPage() {
  const { t } = useI18n();
  const me = useMe();
  const { query, items, pager } = usePaged(['indirect-resellers'], (cursor, signal) => api.listIndirectResellers({ query: { cursor }, signal }));
  const invite = can(me, 'partnerships.invite') ? <InviteReseller /> : undefined;
  return (
    <>
      <PageHeader title={t('nav.indirectResellers')} description={t('resellers.description')} actions={invite} />
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t('resellers.empty.title')} action={invite}>
          {t('resellers.empty.text')}
        </EmptyState>
      ) : (
        <DataTable
          label={t('nav.indirectResellers')}
          columns={[t('column.reseller'), t('column.since'), t('column.adminAccess'), ...(can(me, 'credit.read') ? [t('column.credit')] : []), t('column.actions')]}
        >
          {items.map((item) => (
            <ResellerRow key={item.organization.id} item={item} />
          ))}
        </DataTable>
      )}
      <Pager {...pager} />
    </>
  );
}

function ResellerRow({ item }: { item: IndirectReseller }) {
  const { t, locale, date } = useI18n();
  const me = useMe();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const reseller = item.organization;
  return (
    <TableRow>
      <TableCell>
        <Body1Strong block>
          {reseller.name}
        </Body1Strong>
        <Secondary>
          {reseller.domain} · {countryName(locale, reseller.country)}
        </Secondary>
      </TableCell>
      <TableCell>
                <Nowrap>{date(item.partnership.createdAt)}</Nowrap>
              </TableCell>
      <TableCell>{item.delegatedAdmin === null ? <Secondary>{t('resellers.noAdminAccess')}</Secondary> : <GrantSummary grant={item.delegatedAdmin} />}</TableCell>
      {can(me, 'credit.read') ? (
        <TableCell>
          <CreditSummary side="reseller" id={reseller.id} />
        </TableCell>
      ) : null}
      <TableCell>
        <RowActions>
          {can(me, 'credit.manage') ? <SetCreditLimit reseller={reseller} /> : null}
          {can(me, 'partnerships.manage') ? (
            <ConfirmDialog
              trigger={
                <Button size="small" appearance="subtle" icon={<PlugDisconnectedRegular />}>
                  {t('partnership.end')}
                </Button>
              }
              title={t('partnership.end.title', { name: reseller.name })}
              confirmLabel={t('partnership.end')}
              action={() => api.endPartnershipWithReseller({ id: reseller.id })}
              onDone={(result) => {
                notify(t('partnership.end.done', { name: reseller.name, count: result.remainingDelegatedAdmin.length }));
                void queryClient.invalidateQueries({ queryKey: ['indirect-resellers'] });
              }}
            >
              <Body1 as="p">{t('partnership.end.resellerText', { name: reseller.name })}</Body1>
            </ConfirmDialog>
          ) : null}
        </RowActions>
      </TableCell>
    </TableRow>
  );
}

/** "Invite reseller": Tierlink emails the reseller's admin a single-use link. */
function InviteReseller() {
  const { t, dateTime } = useI18n();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState('');
  const invite = useMutation({
    mutationFn: () => api.createResellerInvitation({ body: { email, ...(message.trim() === '' ? {} : { message }) } }),
    onSuccess: (created) => {
      setOpen(false);
      setEmail('');
      setMessage('');
      notify(t('resellers.invite.done', { email: created.invitation.email, date: dateTime(created.invitation.expiresAt) }));
      void queryClient.invalidateQueries({ queryKey: ['invitations'] });
    },
  });
  return (
    <FormDialog
      trigger={
        <Button appearance="primary" icon={<PersonAddRegular />}>
          {t('resellers.invite')}
        </Button>
      }
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) invite.reset();
      }}
      title={t('resellers.invite')}
      submitLabel={t('resellers.invite.send')}
      onSubmit={() => invite.mutate()}
      busy={invite.isPending}
    >
      <Body1 as="p">{t('resellers.invite.text')}</Body1>
      <Field label={t('resellers.invite.email')} required {...fieldProps(t, invite.error, 'email')}>
        <Input type="email" value={email} onChange={(_e, d) => setEmail(d.value)} />
      </Field>
      <Field label={t('resellers.invite.message')} hint={t('resellers.invite.message.hint')} {...fieldProps(t, invite.error, 'message')}>
        <Textarea value={message} onChange={(_e, d) => setMessage(d.value)} />
      </Field>
      <ProblemBar error={invite.error} fields={['email', 'message']} />
    </FormDialog>
  );
}
