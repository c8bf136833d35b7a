import type { Partnership } from '@tierlink/contract';
import type { PartnershipView } from './partnerships.repository.ts';

export function presentPartnership(view: PartnershipView): Partnership {
  const p = view.partnership;
  return {
    id: p.id,
    provider: view.provider,
    reseller: view.reseller,
    state: p.state,
    createdAt: p.createdAt.toISOString(),
    endedAt: p.endedAt?.toISOString() ?? null,
  };
}
