import { createHash } from 'node:crypto';
import { defaultDelegatedRoles } from '@tierlink/contract';
import { idOf, idRange, scaleCatalog, scaleOperatorEmail, scaleProducts, subscriptionLines, type ScaleWorld } from './world.ts';

type Cell = string | number | boolean | Date | null | readonly string[];

/**
 * Rows in PostgreSQL's COPY text format. Every generated string comes from fixed word lists,
 * digits, hyphens and dots, so no value needs escaping (no tab, newline or backslash).
 */
class CopyText {
  private readonly lines: string[] = [];
  add(...cells: Cell[]): void {
    this.lines.push(cells.map(cell).join('\t'));
  }
  get rows(): number {
    return this.lines.length;
  }
  text(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }
}

function cell(value: Cell): string {
  if (value === null) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'object') return `{${value.join(',')}}`;
  return String(value);
}

/** One table's rows over an index space, loaded chunk by chunk; `name` keys the chunk ledger. */
export interface Dataset {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  /** Size of the index space (e.g. customers); a chunk covers `chunk` consecutive indexes. */
  readonly size: number;
  readonly chunk: number;
  readonly estimatedRows: number;
  generate(start: number, end: number): { text: string; rows: number };
}

function dataset(
  spec: Omit<Dataset, 'generate' | 'chunk'> & { chunk?: number },
  defaultChunk: number,
  fill: (out: CopyText, start: number, end: number) => void,
): Dataset {
  return {
    ...spec,
    chunk: spec.chunk ?? defaultChunk,
    generate(start, end) {
      const out = new CopyText();
      fill(out, start, end);
      return { text: out.text(), rows: out.rows };
    },
  };
}

const hour = 3_600_000;

/** Every table of the world, in an order that satisfies the foreign keys. */
export function scaleDatasets(world: ScaleWorld, passwordHash: string): Dataset[] {
  const { profile } = world;
  const P = profile.providers;
  const R = profile.resellers;
  const C = profile.customers;
  const n = profile.chunkRows;
  const asOf = world.asOf;
  const jointCustomers = Math.ceil(C / profile.jointEvery);
  const invitedCustomers = C - Math.ceil(C / 5);
  const partnerships = Array.from({ length: R }, (_, r) => world.providersOfReseller(r).length).reduce((a, b) => a + b, 0);
  const resellerAdminIds = idRange('user:reseller', 0, R);
  const skuIds = idRange('sku', 0, scaleCatalog.length);
  const productIds = idRange('product', 0, scaleProducts.length);
  const roles = ['global_admin', 'admin_agent'];
  const delegatedRoles = [...defaultDelegatedRoles];
  const subsPerCustomer = Math.min(profile.subscriptionsPerJointCustomer, subscriptionLines.length);

  /** (partner org index k → provider org id) of reseller r's partnerships; slot = r * 2 + k. */
  const partnershipsOf = (r: number) => world.providersOfReseller(r).map((p, k) => ({ p, slot: r * 2 + k }));

  return [
    dataset(
      { name: 'organizations.partners', table: 'organizations', columns: ['id', 'name', 'domain', 'country', 'kind', 'created_at'], size: 1 + P + R, estimatedRows: 1 + P + R },
      n,
      (out, start, end) => {
        for (let i = start; i < end; i += 1) {
          if (i === 0) out.add(world.operatorId, 'Operator', 'scale.tierlink.example', 'US', 'operator', world.pastTime(0, 4 * 365));
          else if (i <= P) out.add(world.providerIds[i - 1] ?? '', world.providerName(i - 1), world.providerDomain(i - 1), 'US', 'partner', world.pastTime(i * 977));
          else {
            const r = i - 1 - P;
            out.add(world.resellerIds[r] ?? '', world.resellerName(r), world.resellerDomain(r), 'US', 'partner', world.pastTime(r * 7919));
          }
        }
      },
    ),
    dataset(
      { name: 'organizations.customers', table: 'organizations', columns: ['id', 'name', 'domain', 'country', 'kind', 'created_at'], size: C, estimatedRows: C },
      n,
      (out, start, end) => {
        for (let c = start; c < end; c += 1) {
          out.add(world.customerIds[c] ?? '', world.customerName(c), world.customerDomain(c), world.customerCountry(c), 'customer', world.customerCreatedAt(c));
        }
      },
    ),
    dataset(
      {
        name: 'partner_profiles',
        table: 'partner_profiles',
        columns: ['id', 'organization_id', 'program', 'state', 'membership_id', 'created_at', 'updated_at'],
        size: P + R,
        estimatedRows: P + R,
      },
      n,
      (out, start, end) => {
        const ids = idRange('partner-profile', start, end - start);
        for (let i = start; i < end; i += 1) {
          const provider = i < P;
          const org = provider ? world.providerIds[i] : world.resellerIds[i - P];
          const at = world.pastTime(i * 131);
          out.add(ids[i - start] ?? '', org ?? '', provider ? 'indirect_provider' : 'indirect_reseller', 'approved', `MPN-${7_000_000 + i}`, at, at);
        }
      },
    ),
    dataset(
      {
        name: 'users.partners',
        table: 'users',
        columns: ['id', 'organization_id', 'email', 'display_name', 'password_hash', 'roles', 'status', 'must_change_password', 'email_verified_at', 'created_at'],
        size: 1 + P + R,
        estimatedRows: 1 + P + R,
      },
      n,
      (out, start, end) => {
        for (let i = start; i < end; i += 1) {
          const at = world.pastTime(i * 389);
          if (i === 0) out.add(idOf('user:operator', 0), world.operatorId, scaleOperatorEmail, 'Operator staff', passwordHash, ['global_admin'], 'active', false, at, at);
          else if (i <= P) {
            const p = i - 1;
            out.add(idOf('user:provider', p), world.providerIds[p] ?? '', `admin@${world.providerDomain(p)}`, `${world.providerName(p)} admin`, passwordHash, roles, 'active', false, at, at);
          } else {
            const r = i - 1 - P;
            out.add(resellerAdminIds[r] ?? '', world.resellerIds[r] ?? '', `admin@${world.resellerDomain(r)}`, `${world.resellerName(r)} admin`, passwordHash, roles, 'active', false, at, at);
          }
        }
      },
    ),
    dataset(
      { name: 'partnerships', table: 'partnerships', columns: ['id', 'provider_organization_id', 'reseller_organization_id', 'state', 'created_at'], size: R, estimatedRows: partnerships },
      n,
      (out, start, end) => {
        const ids = idRange('partnership', start * 2, (end - start) * 2);
        for (let r = start; r < end; r += 1) {
          for (const { p, slot } of partnershipsOf(r)) {
            out.add(ids[slot - start * 2] ?? '', world.providerIds[p] ?? '', world.resellerIds[r] ?? '', 'active', world.pastTime(slot * 61, 4 * 365));
          }
        }
      },
    ),
    dataset(
      { name: 'credit_terms', table: 'credit_terms', columns: ['id', 'provider_organization_id', 'reseller_organization_id', 'limit_amount', 'currency', 'updated_at'], size: R, estimatedRows: partnerships },
      n,
      (out, start, end) => {
        const ids = idRange('credit-terms', start * 2, (end - start) * 2);
        for (let r = start; r < end; r += 1) {
          // Large enough that benchmark orders never hit it; the check itself still runs.
          for (const { p, slot } of partnershipsOf(r)) out.add(ids[slot - start * 2] ?? '', world.providerIds[p] ?? '', world.resellerIds[r] ?? '', 2_000_000_000, 'USD', asOf);
        }
      },
    ),
    dataset(
      {
        name: 'delegated_admin_grants.partnerships',
        table: 'delegated_admin_grants',
        columns: ['id', 'organization_id', 'partner_organization_id', 'roles', 'state', 'starts_at', 'origin_type', 'origin_id', 'created_at'],
        size: R,
        estimatedRows: partnerships,
      },
      n,
      (out, start, end) => {
        const ids = idRange('grant:partnership', start * 2, (end - start) * 2);
        const origins = idRange('partnership', start * 2, (end - start) * 2);
        for (let r = start; r < end; r += 1) {
          for (const { p, slot } of partnershipsOf(r)) {
            const at = world.pastTime(slot * 61, 4 * 365);
            out.add(ids[slot - start * 2] ?? '', world.resellerIds[r] ?? '', world.providerIds[p] ?? '', delegatedRoles, 'active', at, 'partnership', origins[slot - start * 2] ?? '', at);
          }
        }
      },
    ),
    dataset(
      {
        name: 'users.customers',
        table: 'users',
        columns: ['id', 'organization_id', 'email', 'display_name', 'password_hash', 'roles', 'status', 'must_change_password', 'email_verified_at', 'created_at'],
        size: C,
        estimatedRows: invitedCustomers,
      },
      n,
      (out, start, end) => {
        const ids = idRange('user:customer', start, end - start);
        for (let c = start; c < end; c += 1) {
          if (!world.isInvited(c)) continue;
          const at = world.customerCreatedAt(c);
          out.add(ids[c - start] ?? '', world.customerIds[c] ?? '', `admin@${world.customerDomain(c)}`, `${world.customerName(c)} admin`, passwordHash, ['global_admin'], 'active', false, at, at);
        }
      },
    ),
    dataset(
      {
        name: 'invitations.accepted',
        table: 'invitations',
        columns: [
          'id', 'organization_id', 'kind', 'provider_organization_id', 'email', 'token_hash', 'delegated_roles', 'state', 'invited_by_user_id',
          'created_at', 'expires_at', 'accepted_at', 'accepted_by_user_id', 'accepted_organization_id', 'closed_at',
        ],
        size: C,
        estimatedRows: invitedCustomers,
      },
      n,
      (out, start, end) => {
        const ids = idRange('invitation', start, end - start);
        const userIds = idRange('user:customer', start, end - start);
        for (let c = start; c < end; c += 1) {
          if (!world.isInvited(c)) continue;
          const r = world.resellerOf(c);
          const id = ids[c - start] ?? '';
          const accepted = world.customerCreatedAt(c);
          const sent = new Date(accepted.getTime() - 2 * hour);
          const provider = world.isJoint(c) ? (world.providerIds[world.primaryProviderOf(r)] ?? null) : null;
          // The token was used and is gone; only a digest of something unguessable is kept.
          const tokenHash = createHash('sha256').update(`spent:${id}`).digest('hex');
          out.add(
            id, world.resellerIds[r] ?? '', 'reseller_relationship', provider, `admin@${world.customerDomain(c)}`, tokenHash, delegatedRoles, 'accepted',
            resellerAdminIds[r] ?? null, sent, new Date(sent.getTime() + 7 * 24 * hour), accepted, userIds[c - start] ?? null, world.customerIds[c] ?? null, accepted,
          );
        }
      },
    ),
    dataset(
      {
        name: 'reseller_relationships',
        table: 'reseller_relationships',
        columns: ['id', 'partner_organization_id', 'customer_organization_id', 'state', 'source', 'invitation_id', 'customer_sort_name', 'customer_domain', 'customer_country', 'created_at'],
        size: C,
        estimatedRows: C + jointCustomers,
      },
      n,
      (out, start, end) => {
        const ids = idRange('relationship', start * 2, (end - start) * 2);
        const invitations = idRange('invitation', start, end - start);
        for (let c = start; c < end; c += 1) {
          const r = world.resellerOf(c);
          const invited = world.isInvited(c);
          const source = invited ? 'invitation' : 'import';
          const invitation = invited ? (invitations[c - start] ?? null) : null;
          const at = world.customerCreatedAt(c);
          // Names are ASCII, so JavaScript's lower case is PostgreSQL's lower().
          const sortName = world.customerName(c).toLowerCase();
          const domain = world.customerDomain(c);
          const country = world.customerCountry(c);
          out.add(ids[(c - start) * 2] ?? '', world.resellerIds[r] ?? '', world.customerIds[c] ?? '', 'active', source, invitation, sortName, domain, country, at);
          if (world.isJoint(c)) {
            out.add(ids[(c - start) * 2 + 1] ?? '', world.providerIds[world.primaryProviderOf(r)] ?? '', world.customerIds[c] ?? '', 'active', source, invitation, sortName, domain, country, at);
          }
        }
      },
    ),
    dataset(
      {
        name: 'delegated_admin_grants.customers',
        table: 'delegated_admin_grants',
        columns: ['id', 'organization_id', 'partner_organization_id', 'roles', 'state', 'starts_at', 'origin_type', 'origin_id', 'created_at'],
        size: C,
        estimatedRows: Math.round((invitedCustomers * (C + jointCustomers)) / Math.max(1, C)),
      },
      n,
      (out, start, end) => {
        const ids = idRange('grant:customer', start * 2, (end - start) * 2);
        const relationships = idRange('relationship', start * 2, (end - start) * 2);
        for (let c = start; c < end; c += 1) {
          // Imported customers never granted admin access; invited ones granted it to each partner on acceptance.
          if (!world.isInvited(c)) continue;
          const r = world.resellerOf(c);
          const at = world.customerCreatedAt(c);
          const partners = world.isJoint(c) ? [world.resellerIds[r], world.providerIds[world.primaryProviderOf(r)]] : [world.resellerIds[r]];
          for (const [k, partner] of partners.entries()) {
            const slot = (c - start) * 2 + k;
            out.add(ids[slot] ?? '', world.customerIds[c] ?? '', partner ?? '', delegatedRoles, 'active', at, 'reseller_relationship', relationships[slot] ?? '', at);
          }
        }
      },
    ),
    dataset(
      { name: 'products', table: 'products', columns: ['id', 'name', 'description', 'created_at'], size: scaleProducts.length, estimatedRows: scaleProducts.length },
      n,
      (out, start, end) => {
        for (let i = start; i < end; i += 1) out.add(productIds[i] ?? '', scaleProducts[i]?.name ?? '', scaleProducts[i]?.description ?? '', world.pastTime(i, 5 * 365));
      },
    ),
    dataset(
      {
        name: 'skus',
        table: 'skus',
        columns: ['id', 'product_id', 'name', 'currency', 'monthly_price', 'annual_price', 'min_quantity', 'max_quantity', 'created_at'],
        size: scaleCatalog.length,
        estimatedRows: scaleCatalog.length,
      },
      n,
      (out, start, end) => {
        for (let i = start; i < end; i += 1) {
          const sku = scaleCatalog[i];
          if (sku === undefined) continue;
          out.add(skuIds[i] ?? '', productIds[sku.product] ?? '', sku.name, 'USD', sku.monthly, sku.annual, sku.min, sku.max, world.pastTime(i, 5 * 365));
        }
      },
    ),
    dataset(
      {
        name: 'subscriptions',
        table: 'subscriptions',
        columns: ['id', 'organization_id', 'provider_organization_id', 'reseller_organization_id', 'sku_id', 'billing_cycle', 'quantity', 'status', 'version', 'created_at', 'updated_at'],
        size: C,
        estimatedRows: jointCustomers * subsPerCustomer,
      },
      n,
      (out, start, end) => {
        const ids = idRange('subscription', start * 6, (end - start) * 6);
        for (let c = start; c < end; c += 1) {
          if (!world.isJoint(c)) continue;
          const r = world.resellerOf(c);
          const at = world.customerCreatedAt(c);
          for (let k = 0; k < subsPerCustomer; k += 1) {
            const [sku, cycle] = subscriptionLines[k] ?? [0, 'monthly'];
            const quantity = orderQuantity(c, k, scaleCatalog[sku]?.min ?? 1);
            out.add(ids[(c - start) * 6 + k] ?? '', world.customerIds[c] ?? '', world.providerIds[world.primaryProviderOf(r)] ?? '', world.resellerIds[r] ?? '', skuIds[sku] ?? '', cycle, quantity, 'active', 1, at, at);
          }
        }
      },
    ),
    dataset(
      {
        name: 'orders',
        table: 'orders',
        columns: ['id', 'organization_id', 'provider_organization_id', 'reseller_organization_id', 'placed_by_organization_id', 'placed_by_user_id', 'state', 'currency', 'total_amount', 'created_at'],
        size: C,
        estimatedRows: jointCustomers,
      },
      n,
      (out, start, end) => {
        const ids = idRange('order', start, end - start);
        for (let c = start; c < end; c += 1) {
          if (!world.isJoint(c)) continue;
          const r = world.resellerOf(c);
          let total = 0;
          for (let k = 0; k < subsPerCustomer; k += 1) total += lineAmount(c, k);
          out.add(ids[c - start] ?? '', world.customerIds[c] ?? '', world.providerIds[world.primaryProviderOf(r)] ?? '', world.resellerIds[r] ?? '', world.resellerIds[r] ?? '', resellerAdminIds[r] ?? null, 'completed', 'USD', total, world.customerCreatedAt(c));
        }
      },
    ),
    dataset(
      {
        name: 'order_lines',
        table: 'order_lines',
        columns: ['id', 'order_id', 'sku_id', 'quantity', 'billing_cycle', 'unit_price', 'amount', 'subscription_id'],
        size: C,
        estimatedRows: jointCustomers * subsPerCustomer,
      },
      n,
      (out, start, end) => {
        const ids = idRange('order-line', start * 6, (end - start) * 6);
        const orders = idRange('order', start, end - start);
        const subscriptions = idRange('subscription', start * 6, (end - start) * 6);
        for (let c = start; c < end; c += 1) {
          if (!world.isJoint(c)) continue;
          for (let k = 0; k < subsPerCustomer; k += 1) {
            const [sku, cycle] = subscriptionLines[k] ?? [0, 'monthly'];
            const quantity = orderQuantity(c, k, scaleCatalog[sku]?.min ?? 1);
            const slot = (c - start) * 6 + k;
            out.add(ids[slot] ?? '', orders[c - start] ?? '', skuIds[sku] ?? '', quantity, cycle, unitPrice(k), lineAmount(c, k), subscriptions[slot] ?? '');
          }
        }
      },
    ),
  ].filter((d) => d.size > 0);

  function unitPrice(k: number): number {
    const [sku, cycle] = subscriptionLines[k] ?? [0, 'monthly'];
    const entry = scaleCatalog[sku];
    return (cycle === 'monthly' ? entry?.monthly : entry?.annual) ?? 0;
  }

  function lineAmount(c: number, k: number): number {
    const [sku] = subscriptionLines[k] ?? [0];
    return unitPrice(k) * orderQuantity(c, k, scaleCatalog[sku]?.min ?? 1);
  }
}

/** Seats of line k of customer c: mostly small teams, a few larger ones. */
function orderQuantity(c: number, k: number, min: number): number {
  const spread = ((c * 2_654_435_761 + k * 40_503) >>> 0) % 100;
  return Math.max(min, spread < 80 ? 1 + (spread % 25) : 25 + spread * 3);
}
