import type { Enrollment, PartnerProfile } from '@tierlink/client';
import type { Program } from '@tierlink/contract';
import { api } from '../api.ts';
import { usePaged, type Paged } from '../components/usePaged.ts';
import { queryKeys } from './keys.ts';

/** Operator console: partner profiles by name and program ('' = any). */
export function useOperatorPartners(filter: { name: string; program: Program | '' }): Paged<PartnerProfile> {
  const { name, program } = filter;
  return usePaged(queryKeys.operator.partners.list({ name, program }), (cursor, signal) =>
    api.listOperatorPartners({ query: { cursor, name: name === '' ? undefined : name, program: program === '' ? undefined : program }, signal }),
  );
}

/** Operator console: the enrollment review queue in one state ('' = all). */
export function useOperatorEnrollments(state: Enrollment['state'] | ''): Paged<Enrollment> {
  return usePaged(queryKeys.operator.enrollments.list({ state }), (cursor, signal) =>
    api.listEnrollments({ query: { cursor, state: state === '' ? undefined : state }, signal }),
  );
}
