import { Badge, Body1Strong, makeStyles } from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import type { Subscription } from '@tierlink/client';
import { api } from '../api.ts';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { Nowrap, Secondary, TableCell } from './table.tsx';

const useStyles = makeStyles({ parties: { display: 'flex', flexDirection: 'column' } });

/** Query keys of a customer's commerce data, under the customer's own key (removed with it). */
export const subscriptionsKey = (customerId: string) => ['customer', customerId, 'subscriptions'] as const;
export const ordersKey = (customerId: string) => ['customer', customerId, 'orders'] as const;
export const catalogKey = ['catalog'] as const;

/** The subscriptions of a customer the caller is party to (the API filters). */
export function useSubscriptions(customerId: string, enabled = true) {
  return useQuery({ queryKey: subscriptionsKey(customerId), queryFn: ({ signal }) => api.listCustomerSubscriptions({ id: customerId, signal }), enabled });
}

export function useCatalog(enabled = true) {
  return useQuery({ queryKey: catalogKey, queryFn: ({ signal }) => api.listProducts({ signal }), enabled, staleTime: 60_000 });
}

export function SubscriptionStatus({ status }: { status: Subscription['status'] }) {
  const { t } = useI18n();
  return (
    <Badge appearance="tint" shape="rounded" color={status === 'active' ? 'success' : 'warning'}>
      {t(`subscriptionStatus.${status}`)}
    </Badge>
  );
}

/** "12 seats · 3 licenses assigned" */
export function seatsText(t: Translate, s: Pick<Subscription, 'quantity' | 'assignedLicenses'>): string {
  return `${t('subscriptions.seats', { count: s.quantity })} · ${t('subscriptions.assigned', { count: s.assignedLicenses })}`;
}

/** "Provider: …" over "Reseller: …" (the reseller of record, when there is one). */
export function Parties({ provider, reseller }: { provider: { name: string }; reseller: { name: string } | null }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <span className={styles.parties}>
      <span>{t('subscriptions.provider', { name: provider.name })}</span>
      {reseller === null ? null : <Secondary>{t('subscriptions.reseller', { name: reseller.name })}</Secondary>}
    </span>
  );
}

/** The column headers of a subscription table, matching SubscriptionCells. */
export function subscriptionColumns(t: Translate): string[] {
  return [t('column.product'), t('column.quantity'), t('column.billingCycle'), t('column.status'), t('column.partners')];
}

/** One subscription as table cells: SKU and product, seats and licenses, cycle, status, parties. */
export function SubscriptionCells({ subscription: s }: { subscription: Subscription }) {
  const { t } = useI18n();
  return (
    <>
      <TableCell>
        <Body1Strong block>{s.skuName}</Body1Strong>
        <Secondary>{s.productName}</Secondary>
      </TableCell>
      <TableCell>
        <Nowrap>{seatsText(t, s)}</Nowrap>
      </TableCell>
      <TableCell>{t(`billingCycle.${s.billingCycle}`)}</TableCell>
      <TableCell>
        <SubscriptionStatus status={s.status} />
      </TableCell>
      <TableCell>
        <Parties provider={s.provider} reseller={s.reseller} />
      </TableCell>
    </>
  );
}
