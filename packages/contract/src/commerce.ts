import { z } from 'zod';
import { CountFlag, DisplayName, Email, FilterText, Id, OrganizationSummary, SortOrder, Timestamp } from './common.ts';
import { Role } from './roles.ts';

export const BillingCycle = z.enum(['monthly', 'annual']);
export type BillingCycle = z.infer<typeof BillingCycle>;
export const Currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as USD');
/** Money in minor units (cents) of its currency. */
export const Amount = z.number().int().min(0).max(1_000_000_000_000);
export const OrderState = z.enum(['pending', 'completed', 'failed']);
export type OrderState = z.infer<typeof OrderState>;
export const SubscriptionStatus = z.enum(['active', 'suspended']);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

export const Sku = z
  .object({
    id: Id,
    productId: Id,
    name: z.string(),
    currency: z.string(),
    prices: z.object({ monthly: z.number().int().nullable(), annual: z.number().int().nullable() }),
    minQuantity: z.number().int(),
    maxQuantity: z.number().int(),
  })
  .meta({ id: 'Sku' });
export const Product = z
  .object({ id: Id, name: z.string(), description: z.string(), skus: z.array(Sku) })
  .meta({ id: 'Product' });

const SkuInput = z
  .object({
    name: DisplayName,
    currency: Currency,
    prices: z
      .object({ monthly: Amount.nullable().default(null), annual: Amount.nullable().default(null) })
      .strict()
      .refine((p) => p.monthly !== null || p.annual !== null, 'a SKU needs a price for at least one billing cycle'),
    minQuantity: z.number().int().min(1).max(1_000_000).default(1),
    maxQuantity: z.number().int().min(1).max(1_000_000).default(300),
  })
  .strict()
  .refine((s) => s.maxQuantity >= s.minQuantity, { message: 'maxQuantity must be at least minQuantity', path: ['maxQuantity'] });

export const CreateProductBody = z
  .object({ name: DisplayName, description: z.string().trim().max(2000).default(''), skus: z.array(SkuInput).min(1).max(50) })
  .strict();
export const UpdateSkuBody = z
  .object({
    name: DisplayName.optional(),
    prices: z.object({ monthly: Amount.nullable().optional(), annual: Amount.nullable().optional() }).strict().optional(),
    minQuantity: z.number().int().min(1).max(1_000_000).optional(),
    maxQuantity: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

export const OrderLineInput = z
  .object({ skuId: Id, quantity: z.number().int().min(1).max(1_000_000), billingCycle: BillingCycle })
  .strict();
export const PlaceOrderBody = z
  .object({
    lines: z.array(OrderLineInput).min(1).max(50),
    /** Provider ordering for a reseller's customer: the reseller of record. */
    resellerId: Id.optional(),
    /** Reseller ordering through one of its providers. */
    providerId: Id.optional(),
  })
  .strict()
  .refine((b) => b.resellerId === undefined || b.providerId === undefined, { message: 'name resellerId or providerId, not both', path: ['providerId'] });
export type PlaceOrderBody = z.infer<typeof PlaceOrderBody>;

export const Order = z
  .object({
    id: Id,
    customer: OrganizationSummary,
    provider: OrganizationSummary,
    reseller: OrganizationSummary.nullable(),
    state: OrderState,
    currency: z.string(),
    totalAmount: z.number().int(),
    lines: z.array(
      z.object({
        skuId: Id,
        quantity: z.number().int(),
        billingCycle: BillingCycle,
        unitPrice: z.number().int(),
        amount: z.number().int(),
        subscriptionId: Id,
      }),
    ),
    createdAt: Timestamp,
  })
  .meta({ id: 'Order' });

export const Subscription = z
  .object({
    id: Id,
    customer: OrganizationSummary,
    provider: OrganizationSummary,
    reseller: OrganizationSummary.nullable(),
    skuId: Id,
    skuName: z.string(),
    productName: z.string(),
    billingCycle: BillingCycle,
    quantity: z.number().int(),
    assignedLicenses: z.number().int(),
    status: SubscriptionStatus,
    etag: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Subscription' });
export type Subscription = z.infer<typeof Subscription>;

export const UpdateSubscriptionBody = z
  .object({ quantity: z.number().int().min(1).max(1_000_000).optional(), status: z.enum(['active', 'suspended']).optional() })
  .strict()
  .refine((b) => b.quantity !== undefined || b.status !== undefined, 'change quantity or status');

export const SubscriptionParams = z.object({ id: Id, sid: Id }).strict();

/** What the partner-wide Subscriptions list sorts by (a cursor belongs to the sort and order it was made with). */
export const subscriptionSorts = ['customer', 'product', 'quantity', 'status', 'createdAt'] as const;
export type SubscriptionSort = (typeof subscriptionSorts)[number];
/** What the partner-wide Orders list sorts by; `total` sorts by currency, then amount. */
export const orderSorts = ['createdAt', 'customer', 'total', 'state'] as const;
export type OrderSort = (typeof orderSorts)[number];

const listPaging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  count: CountFlag,
};
const partnerListFilter = {
  /** Case-insensitive prefix of the customer's name. */
  customerName: FilterText(200).optional(),
  customerId: Id.optional(),
};

const PartnerSubscriptionFilter = z.object({
  ...partnerListFilter,
  status: SubscriptionStatus.optional(),
  sort: z.enum(subscriptionSorts).default('customer'),
  order: SortOrder.default('asc'),
});
/** The subscriptions the caller is provider or reseller of record of, across its customers. */
export const PartnerSubscriptionQuery = PartnerSubscriptionFilter.extend(listPaging).strict();
/** The export takes the list's filters and sort, without paging: every matching subscription. */
export const PartnerSubscriptionExportQuery = PartnerSubscriptionFilter.strict();

const PartnerOrderFilter = z.object({
  ...partnerListFilter,
  state: OrderState.optional(),
  sort: z.enum(orderSorts).default('createdAt'),
  order: SortOrder.default('desc'),
});
/** The orders the caller is provider or reseller of record of, across its customers. */
export const PartnerOrderQuery = PartnerOrderFilter.extend(listPaging).strict();
export const PartnerOrderExportQuery = PartnerOrderFilter.strict();

export const CreditTerms = z
  .object({
    provider: OrganizationSummary,
    reseller: OrganizationSummary,
    limit: z.number().int().nullable(),
    currency: z.string().nullable(),
    /** Completed orders of the reseller through the provider in the current calendar month (UTC). */
    exposure: z.number().int(),
    available: z.number().int(),
    periodStart: Timestamp,
  })
  .meta({ id: 'CreditTerms' });
/** Up to 100 organization ids, comma-separated: the credit lines of one page of partners at once. */
export const CreditLinesQuery = z
  .object({ ids: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(,[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}){0,99}$/i, 'up to 100 ids, comma-separated') })
  .strict();
/** The credit lines of the named partners that are active partners of the caller (others are left out). */
export const CreditLines = z.object({ items: z.array(CreditTerms) });
export const SetCreditBody = z.object({ limit: Amount, currency: Currency }).strict();

export const CustomerUser = z
  .object({
    id: Id,
    displayName: z.string(),
    email: z.string(),
    status: z.enum(['active', 'disabled']),
    mustChangePassword: z.boolean(),
    /** Its roles in the customer's organization: a holder of a directory role is not removed through delegated admin. */
    roles: z.array(Role),
    licenses: z.array(z.object({ subscriptionId: Id, skuName: z.string() })),
  })
  .meta({ id: 'CustomerUser' });
export const CreateCustomerUserBody = z.object({ displayName: DisplayName, email: Email }).strict();
export const CreatedCustomerUser = z.object({
  user: CustomerUser,
  /** Shown once; the user must change it at first sign-in. */
  temporaryPassword: z.string(),
});
export const CustomerUserParams = z.object({ id: Id, uid: Id }).strict();
export const LicenseBody = z.object({ subscriptionId: Id }).strict();
