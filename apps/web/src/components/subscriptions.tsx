import { Badge } from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import type { Subscription } from '@tierlink/client';
import { api } from '../api.ts';
import { useI18n, type Translate } from '../i18n/index.tsx';

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
