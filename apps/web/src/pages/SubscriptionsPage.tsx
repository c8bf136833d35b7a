import { EmptyState, Loading, PageHeader } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { SubscriptionCells, subscriptionColumns } from '../components/subscriptions.tsx';
import { DataTable, TableRow } from '../components/table.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useOwnSubscriptions } from '../queries/commerce.ts';
import { can, useMe } from '../session.ts';
import { PartnerSubscriptionsPage } from './PartnerSubscriptionsPage.tsx';

/**
 * "/subscriptions" is the page of whoever opens it: a partner's list across its customers
 * (`subscriptions.read`), or a customer's own subscriptions (`own_subscriptions.read`).
 */
export function SubscriptionsPage() {
  const me = useMe();
  return can(me, 'subscriptions.read') ? <PartnerSubscriptionsPage /> : <OwnSubscriptionsPage />;
}

/** Customer admin center: the organization's own subscriptions, from every partner. */
function OwnSubscriptionsPage() {
  const { t } = useI18n();
  const subscriptions = useOwnSubscriptions();
  const items = subscriptions.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('subscriptions.title')} description={t('subscriptions.own.description')} />
      <ProblemBar error={subscriptions.error} />
      {subscriptions.isPending ? (
        <Loading />
      ) : items.length === 0 && !subscriptions.isError ? (
        <EmptyState title={t('subscriptions.empty')}>{t('subscriptions.own.empty')}</EmptyState>
      ) : (
        <DataTable label={t('subscriptions.title')} columns={subscriptionColumns(t)}>
          {items.map((s) => (
            <TableRow key={s.id}>
              <SubscriptionCells subscription={s} />
            </TableRow>
          ))}
        </DataTable>
      )}
    </>
  );
}
