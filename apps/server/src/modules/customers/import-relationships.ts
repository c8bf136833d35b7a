import { ImportRelationshipRow } from '@tierlink/contract';
import type { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { parseCsvRows } from '../../platform/csv.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findOrganizationByDomain, listProfiles, provisionOrganization } from '../identity/index.ts';
import { createRelationship } from './create-relationship.ts';

type Row = z.infer<typeof ImportRelationshipRow>;

const csvColumns: Record<string, keyof Row> = {
  partner_domain: 'partnerDomain',
  customer_name: 'customerName',
  customer_domain: 'customerDomain',
  customer_country: 'customerCountry',
};

/** Reads CSV with the header `partner_domain,customer_name,customer_domain,customer_country`. */
export function parseRelationshipCsv(text: string): Row[] {
  return parseCsvRows(text, csvColumns, ImportRelationshipRow, 5000);
}

/**
 * Operator import of relationships that existed before the partner enrolled, so that its existing
 * customers appear. Customers unknown so far are created as organizations without users. All rows
 * commit together or none does.
 */
export async function importRelationships(
  ctx: UseCaseContext,
  rows: Row[],
): Promise<{ created: number; existing: number; customersCreated: number }> {
  let created = 0;
  let existing = 0;
  let customersCreated = 0;
  const partners = new Map<string, string>();
  for (const [index, row] of rows.entries()) {
    let partnerId = partners.get(row.partnerDomain);
    if (partnerId === undefined) {
      const partner = await findOrganizationByDomain(ctx.tx, row.partnerDomain);
      const approved = partner === undefined ? [] : (await listProfiles(ctx.tx, partner.id)).filter((p) => p.state === 'approved');
      if (partner === undefined || approved.length === 0) {
        throw new AppError('validation_failed', `Row ${index + 1}: no approved partner has the domain ${row.partnerDomain}.`, `items.${index}.partnerDomain`);
      }
      partnerId = partner.id;
      partners.set(row.partnerDomain, partnerId);
    }
    let customer = await findOrganizationByDomain(ctx.tx, row.customerDomain);
    if (customer === undefined) {
      customer = await provisionOrganization(
        ctx,
        { name: row.customerName, domain: row.customerDomain, country: row.customerCountry, kind: 'customer' },
        `items.${index}.customerDomain`,
      );
      customersCreated += 1;
      await ctx.audit.record({
        action: 'organization.imported',
        target: { type: 'organization', id: customer.id },
        organizationIds: [ctx.actor.organizationId, customer.id],
        after: { name: customer.name, domain: customer.domain, country: customer.country },
      });
    } else if (customer.kind !== 'customer') {
      throw new AppError('validation_failed', `Row ${index + 1}: ${row.customerDomain} is not a customer organization.`, `items.${index}.customerDomain`);
    }
    const result = await createRelationship(ctx, { partnerId, customerId: customer.id, source: 'import', invitationId: null });
    if (result.created) created += 1;
    else existing += 1;
  }
  return { created, existing, customersCreated };
}
