import { useQuery } from '@tanstack/react-query';
import type { AuditEvent, Invitation, MailboxMessage, User } from '@tierlink/client';
import type { InvitationSort, InvitationState, SortOrder, UserSort } from '@tierlink/contract';
import { useCountedPaged, type CountedPaged } from '../components/lists.tsx';
import { api } from '../api.ts';
import { usePaged, type Paged } from '../components/usePaged.ts';
import { queryKeys } from './keys.ts';

/** How User management is searched and sorted (the server does both); an empty search lists all. */
export interface UserListView {
  search: string;
  sort: UserSort;
  order: SortOrder;
  limit: number;
}

/** The view as the API's query: an empty search is left out. */
export function userQuery(view: UserListView) {
  return { search: view.search === '' ? undefined : view.search, sort: view.sort, order: view.order };
}

export function useUsers(view: UserListView): CountedPaged<User> {
  return useCountedPaged([...queryKeys.users.all, view], (cursor, count, signal) =>
    api.listUsers({ query: { ...userQuery(view), limit: view.limit, cursor, count: count ? 'true' : undefined }, signal }),
  );
}

export function useApiKeys() {
  return useQuery({ queryKey: queryKeys.apiKeys.all, queryFn: ({ signal }) => api.listApiKeys({ signal }) });
}

/** The audit log's filters as the API takes them (absent: not filtered). */
export interface AuditFilter {
  from?: string | undefined;
  to?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  /** Events done on behalf of this organization (through a relationship or a delegated admin grant). */
  onBehalfOf?: string | undefined;
}

/** The audit log, oldest or newest first, a page at a time, counted with the first page. */
export function useAuditEvents(filter: AuditFilter, order: SortOrder, limit: number): CountedPaged<AuditEvent> {
  return useCountedPaged(queryKeys.auditEvents.list({ ...filter, order, limit }), (cursor, count, signal) =>
    api.listAuditEvents({ query: { cursor, ...filter, order, limit, count: count ? 'true' : undefined }, signal }),
  );
}

/** How Sent invitations is filtered and sorted (the server does both). */
export interface InvitationListView {
  state: InvitationState | '';
  email: string;
  sort: InvitationSort;
  order: 'asc' | 'desc';
  limit: number;
}

/** The invitations the organization sent, a page at a time in the order asked. */
/** The view as the API's query (the export's too): empty filters are left out. */
export function invitationQuery(view: InvitationListView) {
  return { state: view.state === '' ? undefined : view.state, email: view.email === '' ? undefined : view.email, sort: view.sort, order: view.order };
}

export function useInvitations(view: InvitationListView): CountedPaged<Invitation> {
  return useCountedPaged(queryKeys.invitations.list(view), (cursor, count, signal) =>
    api.listInvitations({ query: { ...invitationQuery(view), cursor, limit: view.limit, count: count ? 'true' : undefined }, signal }),
  );
}

/** The embedded mailbox; an empty address lists every message the caller may read. */
export function useMailbox(to: string): Paged<MailboxMessage> {
  return usePaged(queryKeys.mailbox.list({ to }), (cursor, signal) => api.listMailbox({ query: { cursor, to: to === '' ? undefined : to }, signal }));
}
