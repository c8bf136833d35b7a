import { Body1, Body1Strong, Button, Checkbox } from '@fluentui/react-components';
import { PlugDisconnectedRegular, ShieldDismissRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import type { IndirectProvider } from '@tierlink/client';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { CreditSummary } from '../components/credit.tsx';
import { GrantSummary } from '../components/grants.tsx';
import { RouterLink } from '../components/links.tsx';
import { useNotify } from '../components/notify.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, RowActions, Secondary, TableCell, TableRow, Nowrap } from '../components/table.tsx';
import { usePaged } from '../components/usePaged.ts';
import { countryName, useI18n } from '../i18n/index.tsx';
import { can, useMe } from '../session.ts';

/** Reseller: the providers it works with (seed: "Indirect providers"). */
export function IndirectProvidersPage() {
  const { t } = useI18n();
  const me = useMe();
  const { query, items, pager } = usePaged(['indirect-providers'], (cursor, signal) => api.listIndirectProviders({ query: { cursor }, signal }));
  return (
    <>
      <PageHeader title={t('nav.indirectProviders')} description={t('providers.description')} />
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t('providers.empty.title')}>{t('providers.empty.text')}</EmptyState>
      ) : (
        <DataTable label={t('nav.indirectProviders')} columns={[t('column.provider'), t('column.since'), t('column.adminAccess'), ...(can(me, 'credit.read') ? [t('column.credit')] : []), t('column.actions')]}>
          {items.map((item) => (
            <ProviderRow key={item.organization.id} item={item} />
          ))}
        </DataTable>
      )}
      <Pager {...pager} />
    </>
  );
}

function ProviderRow({ item }: { item: IndirectProvider }) {
  const { t, locale, date } = useI18n();
  const me = useMe();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [alsoRemoveAdmin, setAlsoRemoveAdmin] = useState(true);
  const provider = item.organization;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['indirect-providers'] });
  const grant = item.delegatedAdmin;
  return (
    <TableRow>
      <TableCell>
        <Body1Strong block>{provider.name}</Body1Strong>
        <Secondary>
          {provider.domain} · {countryName(locale, provider.country)}
        </Secondary>
      </TableCell>
      <TableCell>
                <Nowrap>{date(item.partnership.createdAt)}</Nowrap>
              </TableCell>
      <TableCell>{grant === null ? <Secondary>{t('providers.noAdminAccess')}</Secondary> : <GrantSummary grant={grant} />}</TableCell>
      {can(me, 'credit.read') ? (
        <TableCell>
          <CreditSummary side="provider" id={provider.id} />
        </TableCell>
      ) : null}
      <TableCell>
        <RowActions>
          {can(me, 'customers.read') ? (
            <RouterLink to="/indirect-providers/$id/customers" params={{ id: provider.id }}>
              {t('providers.viewCustomers')}
            </RouterLink>
          ) : null}
          {can(me, 'customers.invite') ? (
            <RouterLink to="/customers/request" search={{ providerId: provider.id }}>
              {t('providers.inviteCustomers')}
            </RouterLink>
          ) : null}
          {can(me, 'partnerships.manage') && grant !== null ? (
            <ConfirmDialog
              trigger={
                <Button size="small" appearance="subtle" icon={<ShieldDismissRegular />}>
                  {t('providers.removeAdmin')}
                </Button>
              }
              title={t('providers.removeAdmin.title', { name: provider.name })}
              confirmLabel={t('providers.removeAdmin')}
              action={() => api.removeProviderAdmin({ id: provider.id })}
              onDone={() => {
                notify(t('providers.removeAdmin.done', { name: provider.name }));
                void refresh();
              }}
            >
              <Body1 as="p">{t('providers.removeAdmin.text', { name: provider.name })}</Body1>
            </ConfirmDialog>
          ) : null}
          {can(me, 'partnerships.manage') ? (
            <ConfirmDialog
              trigger={
                <Button size="small" appearance="subtle" icon={<PlugDisconnectedRegular />}>
                  {t('partnership.end')}
                </Button>
              }
              title={t('partnership.end.title', { name: provider.name })}
              confirmLabel={t('partnership.end')}
              action={async () => {
                if (alsoRemoveAdmin && grant !== null) await api.removeProviderAdmin({ id: provider.id });
                return api.endPartnershipWithProvider({ id: provider.id });
              }}
              onDone={(result) => {
                notify(t('partnership.end.done', { name: provider.name, count: result.remainingDelegatedAdmin.length }));
                void refresh();
              }}
            >
              <Body1 as="p">{t('partnership.end.providerText', { name: provider.name })}</Body1>
              {grant !== null ? (
                <Checkbox checked={alsoRemoveAdmin} onChange={(_e, d) => setAlsoRemoveAdmin(d.checked === true)} label={t('partnership.end.alsoRemoveAdmin', { name: provider.name })} />
              ) : null}
            </ConfirmDialog>
          ) : null}
        </RowActions>
      </TableCell>
    </TableRow>
  );
}
