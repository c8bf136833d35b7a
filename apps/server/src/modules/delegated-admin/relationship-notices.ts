import type { AuditEntry } from '../../platform/audit.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { listDelegatedAdminApprovers, listOrganizationAdmins } from '../identity/index.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { approvalUrl } from './delegated-admin.presenter.ts';
import { findRelationshipView } from './relationships.queries.ts';

type Ctx = UseCaseContext | AnonymousContext;

/** The organizations a relationship's events concern: the customer, the partner and a three-party reseller. */
export function partiesOf(row: GrantRow): string[] {
  return row.resellerOrganizationId === null ? [row.organizationId, row.partnerOrganizationId] : [row.organizationId, row.partnerOrganizationId, row.resellerOrganizationId];
}

/** The terms an audit event records before and after a change. */
export function termsOf(row: GrantRow): Record<string, unknown> {
  return {
    state: row.state,
    roles: row.roles,
    duration: row.duration,
    autoExtendDuration: row.autoExtendDuration,
    endsAt: row.endsAt?.toISOString() ?? null,
  };
}

export async function recordTransition(ctx: Ctx, action: string, row: GrantRow, before: Record<string, unknown> | null, after: Record<string, unknown> | null): Promise<void> {
  const entry: AuditEntry = {
    action,
    target: { type: 'delegated_admin_grant', id: row.id },
    organizationIds: partiesOf(row),
    ...(before === null ? {} : { before }),
    ...(after === null ? {} : { after }),
  };
  await ctx.audit.record(entry);
}

export interface Notice {
  subject: string;
  /** One paragraph; the greeting, the relationship's terms and the link are added. */
  text: string;
  /** Who hears of it: by default both sides (and the reseller of a three-party request). */
  to?: ('partner' | 'customer' | 'reseller')[];
  /** Adds the approval page's link. */
  withApprovalLink?: boolean;
}

/**
 * Emails the organizations concerned, in the transition's transaction (delivered only if it
 * commits): the partner's and the reseller's global admins, and the customer's global admins and
 * delegated admin approvers (who decide without being global admins).
 */
export async function notifyParties(ctx: Ctx, row: GrantRow, notice: Notice): Promise<void> {
  const view = await findRelationshipView(ctx.tx, row.id);
  if (view === undefined) return;
  const sides = notice.to ?? ['partner', 'customer', 'reseller'];
  const orgs = [
    sides.includes('partner') ? row.partnerOrganizationId : null,
    sides.includes('customer') ? row.organizationId : null,
    sides.includes('reseller') ? row.resellerOrganizationId : null,
  ].filter((id): id is string => id !== null);
  const name = row.displayName ?? `${view.partner.name} in ${view.customer.name}`;
  const terms =
    `Relationship: ${name}\nPartner: ${view.partner.name}\nCustomer: ${view.customer.name}\n` +
    `Roles: ${row.roles.join(', ')}\nDuration: ${row.duration ?? 'no end'}` +
    (row.endsAt === null ? '' : `\nEnds: ${row.endsAt.toISOString()}`);
  const link = notice.withApprovalLink === true ? `\n\nReview it: ${approvalUrl(ctx.publicUrl, row.id)}` : '';
  for (const organizationId of orgs) {
    const people = organizationId === row.organizationId ? await listDelegatedAdminApprovers(ctx.tx, organizationId) : await listOrganizationAdmins(ctx.tx, organizationId);
    for (const admin of people) {
      await ctx.outbox.email(
        { to: admin.email, subject: notice.subject, text: `Hello ${admin.displayName},\n\n${notice.text}\n\n${terms}${link}\n` },
        'delegated_admin.notice',
      );
    }
  }
}
