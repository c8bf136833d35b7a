import type { OrganizationKind } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Executor } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { findOrganizationByDomain, type OrganizationRow } from './identity.queries.ts';
import { insertOrganization } from './identity.repository.ts';

/**
 * A new organization (operator, partner or customer) whose domain no other organization has. The
 * caller audits it in its own words (onboarded, imported, bootstrapped).
 */
export async function provisionOrganization(
  ctx: { tx: Executor; clock: Clock },
  input: { name: string; domain: string; country: string; kind: OrganizationKind },
  field = 'domain',
): Promise<OrganizationRow> {
  if ((await findOrganizationByDomain(ctx.tx, input.domain)) !== undefined) {
    throw new AppError('domain_taken', 'An organization with this domain already exists.', field);
  }
  return insertOrganization(ctx.tx, { id: newId(), ...input, createdAt: ctx.clock.now() });
}
