import { useQuery } from '@tanstack/react-query';
import type { DelegatedAdminRelationship } from '@tierlink/client';
import type { RelationshipState } from '@tierlink/contract';
import { api } from '../api.ts';
import { useCountedPaged, type CountedPaged } from '../components/lists.tsx';
import { queryKeys } from './keys.ts';

/** How the relationship list is filtered (the server filters and pages; newest first). */
export interface RelationshipListView {
  state: RelationshipState | '';
  limit: number;
}

/** The caller's relationships (as partner, customer or consenting reseller), counted with the first page. */
export function useRelationships(view: RelationshipListView): CountedPaged<DelegatedAdminRelationship> {
  return useCountedPaged([...queryKeys.delegatedAdmin.all, 'list', view], (cursor, count, signal) =>
    api.listDelegatedAdminRelationships({
      query: { state: view.state === '' ? undefined : view.state, limit: view.limit, cursor, count: count ? 'true' : undefined },
      signal,
    }),
  );
}

/**
 * The relationships between the caller and one other organization (a customer on the partner's
 * customer page), newest first; one page of up to 200 is all a pair has in practice.
 */
export function useRelationshipsWith(organizationId: string) {
  return useQuery({
    queryKey: [...queryKeys.delegatedAdmin.all, 'with', organizationId],
    queryFn: ({ signal }) => api.listDelegatedAdminRelationships({ query: { organizationId, limit: 200 }, signal }),
  });
}

/** The caller's relationships in force or waiting (up to 200), for the partners list of a customer admin. */
export function useOwnRelationships(enabled: boolean) {
  return useQuery({
    queryKey: [...queryKeys.delegatedAdmin.all, 'own'],
    queryFn: ({ signal }) => api.listDelegatedAdminRelationships({ query: { limit: 200 }, signal }),
    enabled,
  });
}

export function useRelationship(id: string) {
  return useQuery({ queryKey: queryKeys.delegatedAdmin.relationship(id), queryFn: ({ signal }) => api.getDelegatedAdminRelationship({ id, signal }) });
}

/** What waits for the caller's organization: approvals and amendments to decide, consents to give. */
export function usePendingRequests() {
  return useQuery({ queryKey: [...queryKeys.delegatedAdmin.all, 'requests'], queryFn: ({ signal }) => api.listDelegatedAdminRequests({ signal }) });
}

/** Every relationship in force between a partner and a customer, with what was done through it. */
export type AccessTrace = Awaited<ReturnType<typeof api.traceCustomerAccess>>;

/** The partner's view: how its admin agents can act in this customer (under the customer's keys, so a termination there refreshes it). */
export function useCustomerAccess(customerId: string, enabled: boolean) {
  return useQuery({ queryKey: [...queryKeys.customer.all(customerId), 'access'], queryFn: ({ signal }) => api.traceCustomerAccess({ id: customerId, signal }), enabled });
}

/** The customer's view: how this partner's admin agents can act in the own organization. */
export function usePartnerAccess(partnerId: string) {
  return useQuery({ queryKey: [...queryKeys.delegatedAdmin.all, 'access', partnerId], queryFn: ({ signal }) => api.tracePartnerAccess({ id: partnerId, signal }) });
}
