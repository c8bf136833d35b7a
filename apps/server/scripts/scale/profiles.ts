/**
 * Sizes of the generated distributor worlds. Relationships = customers × (1 + jointShare): every
 * customer has its reseller of record, and joint customers also the reseller's provider.
 * Subscriptions exist only for joint customers, since a reseller orders through a provider that
 * holds its own relationship with the customer (DESIGN §3 rule 10).
 */
export interface ScaleProfile {
  readonly name: string;
  readonly providers: number;
  readonly resellers: number;
  readonly customers: number;
  /** Every `jointEvery`-th customer is a joint customer of its reseller and that reseller's provider. */
  readonly jointEvery: number;
  /** Subscriptions (and order lines) per joint customer; at most six (three SKUs × two cycles). */
  readonly subscriptionsPerJointCustomer: number;
  /** Zipf exponent of customers per reseller: a few resellers hold tens of thousands, most a few dozen. */
  readonly resellerSkew: number;
  /** Rows per chunk: a chunk is loaded in one transaction and recorded, so a rerun skips it. */
  readonly chunkRows: number;
}

export const scaleProfiles = {
  /** For the smoke test: loads in a second or two on the embedded database. */
  tiny: { name: 'tiny', providers: 2, resellers: 8, customers: 400, jointEvery: 2, subscriptionsPerJointCustomer: 6, resellerSkew: 0.8, chunkRows: 150 },
  small: { name: 'small', providers: 2, resellers: 100, customers: 10_000, jointEvery: 2, subscriptionsPerJointCustomer: 6, resellerSkew: 0.8, chunkRows: 5_000 },
  medium: { name: 'medium', providers: 20, resellers: 1_000, customers: 100_000, jointEvery: 2, subscriptionsPerJointCustomer: 6, resellerSkew: 0.8, chunkRows: 25_000 },
  large: { name: 'large', providers: 100, resellers: 10_000, customers: 1_000_000, jointEvery: 2, subscriptionsPerJointCustomer: 6, resellerSkew: 0.8, chunkRows: 50_000 },
} as const satisfies Record<string, ScaleProfile>;

export type ScaleProfileName = keyof typeof scaleProfiles;

export function isScaleProfileName(name: string): name is ScaleProfileName {
  return Object.hasOwn(scaleProfiles, name);
}
