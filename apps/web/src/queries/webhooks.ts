import { useQuery } from '@tanstack/react-query';
import type { WebhookDelivery } from '@tierlink/client';
import { api } from '../api.ts';
import { usePaged, type Paged } from '../components/usePaged.ts';
import { queryKeys } from './keys.ts';

export type DeliveryStatus = WebhookDelivery['status'];

/** While a delivery on the page is pending, the log is read again this often (the worker runs every second). */
const pendingPollMs = 2000;

/** The event catalog: the same for every caller until the server changes, so it is read once. */
export function useEventTypes() {
  return useQuery({ queryKey: queryKeys.eventTypes, queryFn: ({ signal }) => api.listEventTypes({ signal }), staleTime: Infinity });
}

export function useWebhookEndpoints() {
  return useQuery({ queryKey: queryKeys.webhooks.all, queryFn: ({ signal }) => api.listWebhookEndpoints({ signal }) });
}

export function useWebhookEndpoint(id: string) {
  return useQuery({ queryKey: queryKeys.webhooks.endpoint(id), queryFn: ({ signal }) => api.getWebhookEndpoint({ id, signal }) });
}

/** An endpoint's delivery log, newest first; an empty status lists every delivery. */
export function useWebhookDeliveries(endpointId: string, status: DeliveryStatus | ''): Paged<WebhookDelivery> {
  return usePaged(
    queryKeys.webhooks.deliveries(endpointId, { status }),
    (cursor, signal) => api.listWebhookDeliveries({ id: endpointId, query: { cursor, status: status === '' ? undefined : status }, signal }),
    (page) => (page?.items.some((d) => d.status === 'pending') === true ? pendingPollMs : false),
  );
}
