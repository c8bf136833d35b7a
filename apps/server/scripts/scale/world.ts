import { createCipheriv, createHash } from 'node:crypto';
import { v4 as uuidFromBytes } from 'uuid';
import type { ScaleProfile } from './profiles.ts';

/** Every generated partner and customer admin signs in with this password (one argon2 hash, computed once). */
export const scaleBenchPassword = 'tierlink-bench';
export const scaleOperatorEmail = 'operator@scale.tierlink.example';

/**
 * Deterministic, random-looking UUIDs: AES-128 of the index under a per-kind key is a permutation,
 * so ids of one kind never collide, and index i maps to the same id on every run (chunks can be
 * reloaded and referenced independently). The version and variant bits make them RFC 9562 v4.
 */
export function idRange(kind: string, start: number, count: number): string[] {
  const key = createHash('sha256').update(`tierlink-scale:${kind}`).digest().subarray(0, 16);
  const plain = Buffer.alloc(count * 16);
  for (let i = 0; i < count; i += 1) plain.writeUInt32BE(start + i, i * 16 + 12);
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  const blocks = Buffer.concat([cipher.update(plain), cipher.final()]);
  const ids: string[] = new Array<string>(count);
  for (let i = 0; i < count; i += 1) ids[i] = uuidFromBytes({ random: blocks.subarray(i * 16, i * 16 + 16) });
  return ids;
}

export function idOf(kind: string, index: number): string {
  const [id] = idRange(kind, index, 1);
  if (id === undefined) throw new Error('no id');
  return id;
}

/** Invented catalog; prices in US cents. The first three SKUs sell on both cycles: six subscription lines. */
export const scaleCatalog = [
  { product: 0, name: 'Nimbus Workplace Standard', monthly: 1250, annual: 12_000, min: 1, max: 100_000 },
  { product: 0, name: 'Nimbus Workplace Premium', monthly: 2200, annual: 21_600, min: 1, max: 100_000 },
  { product: 1, name: 'Ledgerline Business', monthly: 4500, annual: 45_000, min: 1, max: 100_000 },
  { product: 2, name: 'Sentinel Endpoint Defense P1', monthly: null, annual: 3600, min: 5, max: 100_000 },
] as const;
export const scaleProducts = [
  { name: 'Nimbus Workplace', description: 'Mail, calendar, chat and file storage for teams.' },
  { name: 'Ledgerline Accounting', description: 'Bookkeeping, invoicing and payroll for small businesses.' },
  { name: 'Sentinel Endpoint Defense', description: 'Device protection with threat detection and response.' },
] as const;
/** (sku index, cycle) of the subscription lines a joint customer holds, in order. */
export const subscriptionLines = [
  [0, 'monthly'],
  [1, 'annual'],
  [2, 'monthly'],
  [0, 'annual'],
  [1, 'monthly'],
  [2, 'annual'],
] as const;

const firstWords = [
  'Alder', 'Amber', 'Apex', 'Arbor', 'Aspen', 'Atlas', 'Beacon', 'Birch', 'Blue', 'Bright', 'Cedar', 'Clear', 'Coast', 'Copper',
  'Crest', 'Delta', 'Echo', 'Elm', 'Falcon', 'Fjord', 'Gale', 'Granite', 'Harbor', 'Hazel', 'Iris', 'Juniper', 'Keystone', 'Lark',
  'Maple', 'Meadow', 'North', 'Oak', 'Orchid', 'Pine', 'Quartz', 'River', 'Sage', 'Summit', 'Willow', 'Zephyr',
];
const secondWords = [
  'Accounting', 'Analytics', 'Architects', 'Bakery', 'Builders', 'Clinic', 'Consulting', 'Dental', 'Design', 'Engineering',
  'Farms', 'Fitness', 'Foods', 'Freight', 'Health', 'Hotels', 'Imaging', 'Insurance', 'Labs', 'Legal', 'Logistics', 'Marine',
  'Media', 'Motors', 'Optics', 'Outfitters', 'Pharmacy', 'Plumbing', 'Print', 'Realty', 'Robotics', 'Schools', 'Security',
  'Software', 'Solar', 'Studios', 'Textiles', 'Travel', 'Veterinary', 'Wines',
];
const suffixes = ['Group', 'Inc', 'LLC', 'Partners', 'Co', 'Ltd', 'Holdings', 'Company', 'Associates', 'Collective', 'Works', 'Services'];
const countries = ['US', 'US', 'US', 'CA', 'GB', 'DE', 'FR', 'NL', 'AU', 'IE'];

/** A pseudo-random number in [0, 2^32) taken from the id's own hex digits (ids are random-looking). */
function bits(id: string, from: number): number {
  return Number.parseInt(id.slice(from, from + 8), 16);
}

const dayMs = 86_400_000;

/**
 * The generated distributor: who is whose reseller, provider and customer. Everything is a pure
 * function of the profile and the as-of time, so every chunk can be generated on its own.
 */
export class ScaleWorld {
  readonly operatorId: string;
  readonly providerIds: string[];
  readonly resellerIds: string[];
  readonly customerIds: string[];
  /** Customer index → reseller index; resellers own contiguous customer ranges (random names spread them). */
  readonly resellerOfCustomer: Int32Array;
  /** Reseller index → number of customers. */
  readonly customersOfReseller: Int32Array;
  /** Reseller index → its first customer index. */
  readonly firstCustomerOfReseller: Int32Array;

  constructor(
    readonly profile: ScaleProfile,
    readonly asOf: Date,
  ) {
    this.operatorId = idOf('organization:operator', 0);
    this.providerIds = idRange('organization:provider', 0, profile.providers);
    this.resellerIds = idRange('organization:reseller', 0, profile.resellers);
    this.customerIds = idRange('organization:customer', 0, profile.customers);
    this.customersOfReseller = zipfCounts(profile.customers, profile.resellers, profile.resellerSkew);
    this.resellerOfCustomer = new Int32Array(profile.customers);
    this.firstCustomerOfReseller = new Int32Array(profile.resellers);
    let next = 0;
    for (let r = 0; r < profile.resellers; r += 1) {
      this.firstCustomerOfReseller[r] = next;
      const count = this.customersOfReseller[r] ?? 0;
      this.resellerOfCustomer.fill(r, next, next + count);
      next += count;
    }
  }

  /** Every reseller works with its primary provider; every third one also with a second. */
  providersOfReseller(r: number): number[] {
    const p = this.profile.providers;
    const primary = r % p;
    return p > 1 && r % 3 === 0 ? [primary, (primary + Math.floor(p / 2)) % p] : [primary];
  }

  primaryProviderOf(r: number): number {
    return r % this.profile.providers;
  }

  resellerOf(c: number): number {
    return this.resellerOfCustomer[c] ?? 0;
  }

  isJoint(c: number): boolean {
    return c % this.profile.jointEvery === 0;
  }

  /** Customers that signed up from an invitation have an admin user and granted delegated admin; the rest were imported. */
  isInvited(c: number): boolean {
    return c % 5 !== 0;
  }

  customerName(c: number): string {
    const id = this.customerIds[c] ?? '';
    const a = bits(id, 0);
    const b = bits(id, 9);
    return `${firstWords[a % firstWords.length]} ${secondWords[b % secondWords.length]} ${suffixes[(a >>> 8) % suffixes.length]}`;
  }

  customerDomain(c: number): string {
    return `${this.customerName(c).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${c}.customer.example`;
  }

  customerCountry(c: number): string {
    return countries[bits(this.customerIds[c] ?? '', 24) % countries.length] ?? 'US';
  }

  providerName(p: number): string {
    return `${firstWords[p % firstWords.length]} Distribution ${p + 1}`;
  }

  providerDomain(p: number): string {
    return `provider-${p + 1}.scale.example`;
  }

  resellerName(r: number): string {
    return `${firstWords[(r * 7) % firstWords.length]} ${secondWords[(r * 13) % secondWords.length]} IT ${r + 1}`;
  }

  resellerDomain(r: number): string {
    return `reseller-${r + 1}.scale.example`;
  }

  /** A time within the three years before `asOf`, spread by `seed`. */
  pastTime(seed: number, withinDays = 3 * 365): Date {
    return new Date(this.asOf.getTime() - (seed % (withinDays * 24)) * (dayMs / 24) - 60_000);
  }

  customerCreatedAt(c: number): Date {
    return this.pastTime(bits(this.customerIds[c] ?? '', 28));
  }
}

/** Counts per rank proportional to 1/(rank+1)^s, summing to `total`, each at least 1. */
function zipfCounts(total: number, ranks: number, s: number): Int32Array {
  const weights = Array.from({ length: ranks }, (_, i) => 1 / (i + 1) ** s);
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = new Int32Array(ranks);
  let assigned = 0;
  for (let i = 0; i < ranks; i += 1) {
    counts[i] = Math.max(1, Math.floor((total * (weights[i] ?? 0)) / sum));
    assigned += counts[i] ?? 0;
  }
  // Rounding leftovers go to the largest resellers, overshoot is taken from them too.
  for (let i = 0; assigned !== total; i = (i + 1) % ranks) {
    const step = assigned < total ? 1 : -1;
    if (step < 0 && (counts[i] ?? 0) <= 1) continue;
    counts[i] = (counts[i] ?? 0) + step;
    assigned += step;
  }
  return counts;
}
