import type { Enrollment, PartnerProfile } from '@tierlink/client';
import type { OperatorPartnerSort, Program, SortOrder } from '@tierlink/contract';
import { useCountedPaged, type CountedPaged } from '../components/lists.tsx';
import { api } from '../api.ts';
import { usePaged, type Paged } from '../components/usePaged.ts';
import { queryKeys } from './keys.ts';

/** How the operator's partner list is filtered and sorted (the server does both; '' = any). */
export interface OperatorPartnerListView {
  name: string;
  program: Program | '';
  sort: OperatorPartnerSort;
  order: SortOrder;
  limit: number;
}

/** The view as the API's query (the export's too): empty filters are left out. */
export function operatorPartnerQuery(view: OperatorPartnerListView) {
  return { name: view.name === '' ? undefined : view.name, program: view.program === '' ? undefined : view.program, sort: view.sort, order: view.order };
}

/** Operator console: partner profiles in the order asked, counted with the first page. */
export function useOperatorPartners(view: OperatorPartnerListView): CountedPaged<PartnerProfile> {
  return useCountedPaged([...queryKeys.operator.partners.all, view], (cursor, count, signal) =>
    api.listOperatorPartners({ query: { ...operatorPartnerQuery(view), limit: view.limit, cursor, count: count ? 'true' : undefined }, signal }),
  );
}

/** Operator console: the enrollment review queue in one state ('' = all). */
export function useOperatorEnrollments(state: Enrollment['state'] | ''): Paged<Enrollment> {
  return usePaged(queryKeys.operator.enrollments.list({ state }), (cursor, signal) =>
    api.listEnrollments({ query: { cursor, state: state === '' ? undefined : state }, signal }),
  );
}
