import type { z } from 'zod';
import { directoryRoles, type Customer, type Subscription } from '@tierlink/contract';
import type { presentOrder } from '../commerce/index.ts';
import type { CustomerUserView } from '../customer-admin/index.ts';
import type { PartnershipListItem } from '../partnerships/index.ts';
import type {
  DirectoryRole,
  LegalBusinessProfile,
  Link,
  MpnProfile,
  PartnerRelationship,
  PcCustomer,
  PcCustomerUser,
  PcLicense,
  PcOrder,
  PcSubscription,
  PcSubscriptionPascal,
  SubscribedSku,
} from './partner-center.schemas.ts';

/*
 * Native answers (the contract's shapes, from the owners' presenters) → Partner Center's. No rule
 * is decided here; only names, casing and envelopes change. Link URIs are relative to /v1, as in
 * Partner Center's examples.
 */

export const link = (uri: string, headers: { key: string; value: string }[] = [], method = 'GET'): Link => ({ uri, method, headers });

export function collectionOf<T>(items: T[], self: string, next?: { uri: string; token: string }) {
  return {
    totalCount: items.length,
    items,
    ...(next === undefined ? {} : { continuationToken: next.token }),
    links: { self: link(self), ...(next === undefined ? {} : { next: link(next.uri, [{ key: 'MS-ContinuationToken', value: next.token }]) }) },
    attributes: { objectType: 'Collection' as const },
  };
}

/** Membership ids (MPN ids) by organization id. */
export type MembershipIds = ReadonlyMap<string, string>;

export function presentPartnerRelationship(item: PartnershipListItem, side: 'provider' | 'reseller', mpnIds: MembershipIds): z.infer<typeof PartnerRelationship> {
  const other = side === 'provider' ? item.view.reseller : item.view.provider;
  return {
    id: other.id,
    name: other.name,
    // The caller's side: a provider asked for the partners it is the indirect provider of.
    relationshipType: side === 'provider' ? 'is_indirect_cloud_solution_provider_of' : 'is_indirect_reseller_of',
    state: 'Active',
    mpnId: mpnIds.get(other.id) ?? '',
    location: other.country,
    attributes: { objectType: 'PartnerRelationship' },
  };
}

export function presentPcCustomer(customer: Customer, detail: boolean): z.infer<typeof PcCustomer> {
  const self = `/customers/${customer.id}`;
  return {
    id: customer.id,
    companyProfile: {
      tenantId: customer.id,
      domain: customer.domain,
      companyName: customer.name,
      ...(detail ? { address: { country: customer.country } } : {}),
      links: { self: link(`${self}/profiles/company`) },
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    relationshipToPartner: customer.relationship.state === 'active' ? 'reseller' : 'none',
    // Only get-by-id carries these (reference §14.5).
    ...(detail ? { allowDelegatedAccess: customer.delegatedAdmin.some((g) => g.state === 'active'), customDomains: [customer.domain] } : {}),
    links: { self: link(self) },
    attributes: { objectType: 'Customer' },
  };
}

type NativeOrder = ReturnType<typeof presentOrder>;

export function presentPcOrder(order: NativeOrder, mpnIds: MembershipIds): z.infer<typeof PcOrder> {
  const partnerIdOnRecord = order.reseller === null ? undefined : mpnIds.get(order.reseller.id);
  return {
    id: order.id,
    referenceCustomerId: order.customer.id,
    billingCycle: order.lines[0]?.billingCycle ?? 'monthly',
    lineItems: order.lines.map((l, index) => ({
      lineItemNumber: index,
      offerId: l.skuId,
      subscriptionId: l.subscriptionId,
      quantity: l.quantity,
      ...(partnerIdOnRecord === undefined ? {} : { partnerIdOnRecord }),
      links: { subscription: link(`/customers/${order.customer.id}/subscriptions/${l.subscriptionId}`) },
    })),
    currencyCode: order.currency,
    creationDate: order.createdAt,
    status: order.state === 'failed' ? 'cancelled' : order.state,
    links: { self: link(`/customers/${order.customer.id}/orders/${order.id}`) },
    attributes: { objectType: 'Order' },
  };
}

export function presentPcSubscription(s: Subscription, mpnIds: MembershipIds): z.infer<typeof PcSubscription> {
  return {
    id: s.id,
    offerId: s.skuId,
    offerName: `${s.productName} ${s.skuName}`,
    friendlyName: s.skuName,
    quantity: s.quantity,
    unitType: 'Licenses',
    creationDate: s.createdAt,
    effectiveStartDate: s.createdAt,
    status: s.status,
    autoRenewEnabled: true,
    billingType: 'license',
    billingCycle: s.billingCycle,
    partnerId: s.reseller === null ? '' : (mpnIds.get(s.reseller.id) ?? ''),
    contractType: 'subscription',
    links: { self: link(`/customers/${s.customer.id}/subscriptions/${s.id}`) },
    attributes: { etag: s.etag, objectType: 'Subscription' },
  };
}

/** The subscription PATCH answer, PascalCase as documented (reference §14.1). */
export function presentPatchedSubscription(s: Subscription, mpnIds: MembershipIds): z.infer<typeof PcSubscriptionPascal> {
  const c = presentPcSubscription(s, mpnIds);
  return {
    Id: c.id,
    OfferId: c.offerId,
    OfferName: c.offerName,
    FriendlyName: c.friendlyName,
    Quantity: c.quantity,
    UnitType: c.unitType,
    CreationDate: c.creationDate,
    EffectiveStartDate: c.effectiveStartDate,
    Status: c.status,
    AutoRenewEnabled: c.autoRenewEnabled,
    BillingType: c.billingType,
    BillingCycle: c.billingCycle,
    PartnerId: c.partnerId,
    ContractType: c.contractType,
    Links: { Self: { Uri: c.links.self.uri, Method: 'GET', Headers: [] } },
    Attributes: { Etag: s.etag, ObjectType: 'Subscription' },
  };
}

/** "Ada Lovelace" → first "Ada", last "Lovelace" (Tierlink keeps one display name). */
export function splitName(displayName: string): { firstName: string; lastName: string } {
  const parts = displayName.trim().split(/\s+/);
  return { firstName: parts[0] ?? '', lastName: parts.slice(1).join(' ') };
}

/** `usageLocation`: the customer organization's country (Tierlink keeps no per-user location). */
export function presentPcCustomerUser(customer: { id: string; country: string }, view: CustomerUserView): z.infer<typeof PcCustomerUser> {
  const u = view.user;
  const customerId = customer.id;
  return {
    id: u.id,
    userPrincipalName: u.email,
    ...splitName(u.displayName),
    displayName: u.displayName,
    usageLocation: customer.country,
    userDomainType: 'none',
    state: u.status === 'active' ? 'active' : 'inactive',
    lastDirectorySyncTime: null,
    softDeletionTime: null,
    links: { self: link(`/customers/${customerId}/users/${u.id}`) },
    attributes: { objectType: 'CustomerUser' },
  };
}

/**
 * A Tierlink subscription is the customer's pool of seats: it is presented as a SubscribedSku whose
 * productSku.id is the subscription id, which licenseupdates takes as SkuId (docs/partner-center-api.md).
 */
export function presentSubscribedSku(s: Subscription): z.infer<typeof SubscribedSku> {
  const active = s.status === 'active';
  return {
    availableUnits: active ? Math.max(0, s.quantity - s.assignedLicenses) : 0,
    activeUnits: active ? s.quantity : 0,
    consumedUnits: s.assignedLicenses,
    suspendedUnits: active ? 0 : s.quantity,
    totalUnits: s.quantity,
    warningUnits: 0,
    productSku: productSku(s.id, s.skuName),
    servicePlans: [],
    capabilityStatus: active ? 'Enabled' : 'Suspended',
    attributes: { objectType: 'SubscribedSku' },
  };
}

const productSku = (subscriptionId: string, skuName: string) => ({
  id: subscriptionId,
  name: skuName,
  skuPartNumber: skuName.toUpperCase().replaceAll(/[^A-Z0-9]+/g, '_'),
  targetType: 'User' as const,
  licenseGroupId: 'group1' as const,
});

/**
 * Tierlink's directory roles as Entra's role templates (name, template id). Only directory roles
 * have one; agent roles live in partner organizations, and `delegated_admin_approver` has no Entra
 * counterpart (it approves relationships in Tierlink), so neither appears.
 */
export const entraDirectoryRoles: Readonly<Record<(typeof directoryRoles)[number], { name: string; id: string }>> = {
  global_admin: { name: 'Global Administrator', id: '62e90394-69f5-4237-9190-012177145e10' },
  user_admin: { name: 'User Administrator', id: 'fe930be7-5e62-47db-91af-98c3a49a38b1' },
  billing_admin: { name: 'Billing Administrator', id: 'b0f54661-2d74-4c50-afa3-1ec803f12efe' },
};

export function presentDirectoryRoles(view: CustomerUserView): z.infer<typeof DirectoryRole>[] {
  return directoryRoles
    .filter((role) => view.user.roles.includes(role))
    .map((role) => ({ ...entraDirectoryRoles[role], attributes: { objectType: 'DirectoryRole' as const } }));
}

export function presentPcLicenses(view: CustomerUserView): z.infer<typeof PcLicense>[] {
  return view.licenses.map((l) => ({ servicePlans: [], productSku: productSku(l.subscriptionId, l.skuName), attributes: { objectType: 'License' as const } }));
}

export function presentMpnProfile(partnerName: string, mpnId: string): z.infer<typeof MpnProfile> {
  return { partnerName, mpnId, profileType: 'MpnProfile', links: { self: link(`/profiles/mpn?mpnId=${encodeURIComponent(mpnId)}`) }, attributes: { objectType: 'MpnProfile' } };
}

interface EnrollmentShape {
  state: 'email_unverified' | 'in_review' | 'approved' | 'rejected';
  legalProfile: { name: string; address: string } | null;
  primaryContact: { name: string; email: string; phone: string } | null;
}

/** The enrollment's answers as Partner Center's legal business profile; its review state as vetting status. */
export function presentLegalBusinessProfile(enrollment: EnrollmentShape, country: string): z.infer<typeof LegalBusinessProfile> {
  const contact = enrollment.primaryContact;
  const vetting = {
    email_unverified: ['pending', 'email_ownership'],
    in_review: ['pending', 'decision'],
    approved: ['authorized', 'none'],
    rejected: ['rejected', 'none'],
  } as const;
  const [vettingStatus, vettingSubStatus] = vetting[enrollment.state];
  return {
    companyName: enrollment.legalProfile?.name ?? '',
    address: { country, addressLine1: enrollment.legalProfile?.address ?? '' },
    primaryContact: { ...splitName(contact?.name ?? ''), email: contact?.email ?? '', phoneNumber: contact?.phone ?? '' },
    vettingStatus,
    vettingSubStatus,
    profileType: 'LegalBusinessProfile',
    links: { self: link('/profiles/legalbusiness') },
    attributes: { objectType: 'LegalBusinessProfile' },
  };
}
