import { z } from 'zod';
import { Id, maxPageSize } from '@tierlink/contract';

/*
 * Shapes of the Partner Center–compatible API (Partner Center REST v1, reference §1–§10). Responses
 * are camelCase (except the PATCH answers Partner Center documents in PascalCase); request bodies
 * are read after their keys were turned to camelCase (`camelCaseKeys`), so PascalCase and
 * camelCase are both accepted. The response schemas strip anything they do not name.
 */

export const PcError = z
  .object({ code: z.number().int(), description: z.string(), data: z.array(z.string()), source: z.string() })
  .meta({ id: 'PartnerCenterError', description: 'Partner Center error body; the native error code is in the Tierlink-Error-Code header.' });
export const PcThrottle = z.object({ statusCode: z.number().int(), message: z.string() }).meta({ id: 'PartnerCenterThrottle' });
export const OAuthErrorBody = z.object({ error: z.string(), error_description: z.string() }).meta({ id: 'OAuthError' });

const Header = z.object({ key: z.string(), value: z.string() });
export const Link = z.object({ uri: z.string(), method: z.string(), headers: z.array(Header) });
export type Link = z.infer<typeof Link>;
const Attributes = (objectType: string) => z.object({ objectType: z.literal(objectType), etag: z.string().optional() });
const SelfLinks = z.object({ self: Link });

export function collection<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      totalCount: z.number().int(),
      items: z.array(item),
      continuationToken: z.string().optional(),
      links: z.object({ self: Link, next: Link.optional() }),
      attributes: Attributes('Collection'),
    })
    .meta({ id });
}

export const PartnerRelationship = z
  .object({
    id: Id,
    name: z.string(),
    relationshipType: z.enum(['is_indirect_reseller_of', 'is_indirect_cloud_solution_provider_of']),
    state: z.string(),
    mpnId: z.string(),
    location: z.string(),
    attributes: Attributes('PartnerRelationship'),
  })
  .meta({ id: 'PcPartnerRelationship' });

export const CompanyProfile = z.object({
  tenantId: Id,
  domain: z.string(),
  companyName: z.string(),
  address: z.object({ country: z.string() }).optional(),
  links: SelfLinks,
  attributes: Attributes('CustomerCompanyProfile'),
});

export const PcCustomer = z
  .object({
    id: Id,
    companyProfile: CompanyProfile,
    relationshipToPartner: z.enum(['none', 'reseller']),
    allowDelegatedAccess: z.boolean().optional(),
    customDomains: z.array(z.string()).optional(),
    links: SelfLinks,
    attributes: Attributes('Customer'),
  })
  .meta({ id: 'PcCustomer' });

/** The documented answer of removing the relationship: PascalCase, mostly null. */
export const PcRemovedCustomer = z
  .object({
    // As documented: the removal answer names nothing but the new relationship (the id is null).
    Id: z.null(),
    CommerceId: z.null(),
    CompanyProfile: z.null(),
    BillingProfile: z.null(),
    RelationshipToPartner: z.enum(['none', 'reseller']),
    AllowDelegatedAccess: z.boolean().nullable(),
    UserCredentials: z.null(),
    CustomDomains: z.null(),
    AssociatedPartnerId: z.null(),
    Attributes: z.object({ ObjectType: z.literal('Customer') }),
  })
  .meta({ id: 'PcRemovedCustomer' });

export const RelationshipRequest = z.object({ url: z.string(), attributes: Attributes('RelationshipRequest') }).meta({ id: 'PcRelationshipRequest' });

export const PcOrderLineItem = z.object({
  lineItemNumber: z.number().int(),
  offerId: Id,
  subscriptionId: Id,
  quantity: z.number().int(),
  partnerIdOnRecord: z.string().optional(),
  links: z.object({ subscription: Link }),
});
export const PcOrder = z
  .object({
    id: Id,
    referenceCustomerId: Id,
    billingCycle: z.enum(['monthly', 'annual']),
    lineItems: z.array(PcOrderLineItem),
    currencyCode: z.string(),
    creationDate: z.string(),
    status: z.enum(['pending', 'completed', 'cancelled']),
    links: SelfLinks,
    attributes: Attributes('Order'),
  })
  .meta({ id: 'PcOrder' });

const subscriptionFields = {
  id: Id,
  offerId: Id,
  offerName: z.string(),
  friendlyName: z.string(),
  quantity: z.number().int(),
  unitType: z.string(),
  creationDate: z.string(),
  effectiveStartDate: z.string(),
  status: z.enum(['active', 'suspended']),
  autoRenewEnabled: z.boolean(),
  billingType: z.literal('license'),
  billingCycle: z.enum(['monthly', 'annual']),
  partnerId: z.string(),
  contractType: z.literal('subscription'),
};
export const PcSubscription = z
  .object({ ...subscriptionFields, links: SelfLinks, attributes: Attributes('Subscription') })
  .meta({ id: 'PcSubscription' });

/** The documented subscription PATCH answer, in PascalCase (reference §14.1). */
export const PcSubscriptionPascal = z
  .object({
    Id: Id,
    OfferId: Id,
    OfferName: z.string(),
    FriendlyName: z.string(),
    Quantity: z.number().int(),
    UnitType: z.string(),
    CreationDate: z.string(),
    EffectiveStartDate: z.string(),
    Status: z.enum(['active', 'suspended']),
    AutoRenewEnabled: z.boolean(),
    BillingType: z.literal('license'),
    BillingCycle: z.enum(['monthly', 'annual']),
    PartnerId: z.string(),
    ContractType: z.literal('subscription'),
    Links: z.object({ Self: z.object({ Uri: z.string(), Method: z.string(), Headers: z.array(z.object({ Key: z.string(), Value: z.string() })) }) }),
    Attributes: z.object({ Etag: z.string(), ObjectType: z.literal('Subscription') }),
  })
  .meta({ id: 'PcSubscriptionPatched' });

export const PcCustomerUser = z
  .object({
    id: Id,
    userPrincipalName: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    displayName: z.string(),
    usageLocation: z.string(),
    userDomainType: z.literal('none'),
    state: z.enum(['active', 'inactive']),
    lastDirectorySyncTime: z.null(),
    softDeletionTime: z.null(),
    links: SelfLinks,
    attributes: Attributes('CustomerUser'),
  })
  .meta({ id: 'PcCustomerUser' });
export const PcCreatedCustomerUser = PcCustomerUser.extend({
  immutableId: z.string().optional(),
  /** Tierlink chooses the first password (shown once) and always asks for a new one at the first sign-in. */
  passwordProfile: z.object({ password: z.string(), forceChangePassword: z.literal(true) }),
}).meta({ id: 'PcCreatedCustomerUser' });

const ProductSku = z.object({ id: Id, name: z.string(), skuPartNumber: z.string(), targetType: z.literal('User'), licenseGroupId: z.literal('group1') });
export const SubscribedSku = z
  .object({
    availableUnits: z.number().int(),
    activeUnits: z.number().int(),
    consumedUnits: z.number().int(),
    suspendedUnits: z.number().int(),
    totalUnits: z.number().int(),
    warningUnits: z.number().int(),
    productSku: ProductSku,
    servicePlans: z.array(z.never()),
    capabilityStatus: z.enum(['Enabled', 'Suspended']),
    attributes: Attributes('SubscribedSku'),
  })
  .meta({ id: 'PcSubscribedSku' });
/** A directory role (an Entra role template: its name and template id) a customer user holds. */
export const DirectoryRole = z.object({ name: z.string(), id: Id, attributes: Attributes('DirectoryRole') }).meta({ id: 'PcDirectoryRole' });
export const PcLicense = z.object({ servicePlans: z.array(z.never()), productSku: ProductSku, attributes: Attributes('License') }).meta({ id: 'PcLicense' });
export const PcLicenseUpdate = z
  .object({
    licensesToAssign: z.array(z.object({ skuId: Id, excludedPlans: z.array(z.string()) })),
    licensesToRemove: z.array(Id),
    licenseWarnings: z.array(z.object({ code: z.string(), message: z.string(), servicePlans: z.array(z.string()) })),
    attributes: Attributes('LicenseUpdate'),
  })
  .meta({ id: 'PcLicenseUpdate' });

export const MpnProfile = z
  .object({ partnerName: z.string(), mpnId: z.string(), profileType: z.literal('MpnProfile'), links: SelfLinks, attributes: Attributes('MpnProfile') })
  .meta({ id: 'PcMpnProfile' });
export const LegalBusinessProfile = z
  .object({
    companyName: z.string(),
    address: z.object({ country: z.string(), addressLine1: z.string() }),
    primaryContact: z.object({ firstName: z.string(), lastName: z.string(), email: z.string(), phoneNumber: z.string() }),
    vettingStatus: z.enum(['none', 'pending', 'authorized', 'rejected']),
    vettingSubStatus: z.enum(['none', 'email_ownership', 'decision']),
    profileType: z.literal('LegalBusinessProfile'),
    links: SelfLinks,
    attributes: Attributes('LegalBusinessProfile'),
  })
  .meta({ id: 'PcLegalBusinessProfile' });
export const AgreementStatus = z.object({ isAgreementSigned: z.boolean() }).meta({ id: 'PcAgreementStatus' });

export const TokenAnswer = z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() }).meta({ id: 'OAuthToken' });

// ---- Requests (keys already camelCase; enum values accepted in any case) ----

/** A membership (MPN) id as the registry spells them: letters, digits, `.`, `_`, `-`, with at least one letter or digit. */
const MembershipId = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9._-]*[A-Za-z0-9][A-Za-z0-9._-]*$/, 'an MPN ID: letters, digits, ".", "_" or "-"');

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);
// `Status: "Suspended"` or `"suspended"`: the documented bodies use lower snake case, SDKs may send PascalCase.
const RelationshipNone = z.preprocess(lower, z.literal('none'));
const CycleValue = z.preprocess(lower, z.enum(['monthly', 'annual']));
const StatusValue = z.preprocess(lower, z.enum(['active', 'suspended']));

export const TokenBody = z
  .object({
    grant_type: z.string().max(100),
    client_id: z.string().max(200).optional(),
    client_secret: z.string().max(500).optional(),
    scope: z.string().max(1000).optional(),
    resource: z.string().max(1000).optional(),
  })
  .strict();

export const RelationshipsQuery = z
  .object({
    relationship_type: z.enum(['IsIndirectCloudSolutionProviderOf', 'IsIndirectResellerOf']),
    filter: z.string().max(1000).optional(),
  })
  .strict();

export const CustomerListQuery = z
  .object({
    size: z.coerce.number().int().min(0).max(maxPageSize).default(0),
    filter: z.string().max(1000).optional(),
    seekOperation: z.enum(['Next']).optional(),
  })
  .strict();

export const ContinuationHeaders = z.looseObject({ 'ms-continuationtoken': z.string().max(512).optional().meta({ description: 'With seekOperation=Next: the previous page\'s continuationToken' }) });

export const PatchCustomerBody = z
  .object({
    relationshipToPartner: RelationshipNone.optional(),
    allowDelegatedAccess: z.literal(false).optional(),
    /** Tierlink: removing the relationship needs the good-faith attestation the portal asks for. */
    attestation: z.boolean().optional(),
    attributes: z.object({ objectType: z.string().optional() }).optional(),
  })
  .strict()
  .refine((b) => b.relationshipToPartner !== undefined || b.allowDelegatedAccess !== undefined, { message: 'set relationshipToPartner to "none" or allowDelegatedAccess to false' });

export const RelationshipRequestBody = z
  .object({
    email: z.string().trim().toLowerCase().max(254).email(),
    indirectCloudSolutionProviderId: Id.optional(),
    attributes: z.object({ objectType: z.string().optional() }).optional(),
  })
  .strict();

export const PlaceOrderBody = z
  .object({
    referenceCustomerId: Id.optional(),
    billingCycle: CycleValue,
    lineItems: z
      .array(
        z
          .object({
            lineItemNumber: z.number().int().min(0).max(49).optional(),
            offerId: Id,
            quantity: z.number().int().min(1).max(1_000_000),
            partnerIdOnRecord: MembershipId.optional(),
            friendlyName: z.string().max(200).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(50),
    /** Tierlink: a reseller orders through one of its indirect providers (tenant id). */
    indirectCloudSolutionProviderId: Id.optional(),
    attributes: z.object({ objectType: z.string().optional() }).optional(),
  })
  .strict();

export const RequestIdHeaders = z.looseObject({
  'ms-requestid': z.string().max(255).regex(/^[\x21-\x7e]+$/, 'visible ASCII characters').optional().meta({ description: 'Required on orders: the idempotency key (retry with the same value)' }),
});
export const IfMatchHeaders = z.looseObject({ 'if-match': z.string().max(100).optional().meta({ description: 'Required: attributes.etag of the subscription as read' }) });

/** A subscription PATCH carries the whole resource (PC docs); only quantity and status change. */
export const PatchSubscriptionBody = z
  .object({ quantity: z.number().int().min(1).max(1_000_000).optional(), status: StatusValue.optional() })
  .catchall(z.unknown())
  .refine((b) => b.quantity !== undefined || b.status !== undefined, { message: 'change quantity or status' });

export const SubscriptionListQuery = z.object({ mpn_id: MembershipId.optional() }).strict();

export const CreateUserBody = z
  .object({
    userPrincipalName: z.string().trim().toLowerCase().max(254).email(),
    displayName: z.string().trim().min(1).max(200),
    firstName: z.string().max(100).optional(),
    lastName: z.string().max(100).optional(),
    usageLocation: z.string().max(10).optional(),
    immutableId: z.string().max(200).optional(),
    passwordProfile: z.object({ password: z.string().max(256).optional(), forceChangePassword: z.boolean().optional() }).optional(),
    attributes: z.object({ objectType: z.string().optional() }).optional(),
  })
  .strict();

export const LicenseUpdateBody = z
  .object({
    licensesToAssign: z.array(z.object({ skuId: Id, excludedPlans: z.array(z.string()).max(0).nullable().optional() }).strict()).max(50).default([]),
    licensesToRemove: z.array(Id).max(50).nullable().default([]),
    /** Sent as null by the documented request; read-only. */
    licenseWarnings: z.null().optional(),
    attributes: z.object({ objectType: z.string().optional() }).optional(),
  })
  .strict();

export const MpnQuery = z.object({ mpnId: MembershipId.optional() }).strict();
export const AgreementQuery = z.object({ mpnid: MembershipId }).strict();
