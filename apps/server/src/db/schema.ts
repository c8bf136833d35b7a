import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A tenant. `kind` says what it is to the program; every actor belongs to exactly one. */
export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    domain: text('domain').notNull(),
    country: text('country').notNull(),
    kind: text('kind', { enum: ['operator', 'partner', 'customer'] }).notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('organizations_domain_key').on(t.domain),
    index('organizations_name_idx').on(sql`lower(${t.name})`, t.id),
    // The operator's home counts partners by country: the partners alone, not a million customers.
    index('organizations_partner_country_idx').on(t.id, t.country).where(sql`kind = 'partner'`),
  ],
);

export const partnerProfiles = pgTable(
  'partner_profiles',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    program: text('program', { enum: ['indirect_provider', 'indirect_reseller'] }).notNull(),
    state: text('state', { enum: ['email_unverified', 'in_review', 'approved', 'rejected'] }).notNull(),
    membershipId: text('membership_id'),
    /** Enrollment answers: legal business profile, primary contact, support contact. */
    legalProfile: jsonb('legal_profile').$type<{ name: string; address: string }>(),
    primaryContact: jsonb('primary_contact').$type<{ name: string; email: string; phone: string }>(),
    supportProfile: jsonb('support_profile').$type<{ email: string; phone: string; website: string }>(),
    enrolledByUserId: uuid('enrolled_by_user_id'),
    /** SHA-256 of the primary contact's verification token; cleared once used. */
    verificationTokenHash: text('verification_token_hash'),
    verificationExpiresAt: ts('verification_expires_at'),
    verifiedAt: ts('verified_at'),
    decidedAt: ts('decided_at'),
    decisionReason: text('decision_reason'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('partner_profiles_org_program_key').on(t.organizationId, t.program), index('partner_profiles_state_idx').on(t.state, t.createdAt)],
);

/** The operator's program-membership registry: accounts that sign in, holding one or more memberships. */
export const membershipAccounts = pgTable(
  'membership_accounts',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('membership_accounts_email_key').on(t.email)],
);

/** One organization profile (location) of a membership account: its membership id and country. */
export const memberships = pgTable(
  'memberships',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id').notNull().references(() => membershipAccounts.id),
    membershipId: text('membership_id').notNull(),
    legalName: text('legal_name').notNull(),
    country: text('country').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('memberships_membership_id_key').on(t.membershipId), index('memberships_account_idx').on(t.accountId)],
);

/** Short-lived proof that a user signed in to a membership account during enrollment. */
export const membershipSignIns = pgTable('membership_sign_ins', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: uuid('account_id').notNull().references(() => membershipAccounts.id),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    roles: text('roles').array().notNull(),
    status: text('status', { enum: ['active', 'disabled'] }).notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    /** A temporary password stops working at this time (72 h after it was issued). */
    temporaryPasswordExpiresAt: ts('temporary_password_expires_at'),
    emailVerifiedAt: ts('email_verified_at'),
    /** TOTP seed, sealed (AES-GCM); set once enrollment is confirmed. */
    totpSecret: text('totp_secret'),
    /** Seed offered by an enrollment that is not confirmed yet, sealed. */
    totpPendingSecret: text('totp_pending_secret'),
    mfaEnrolledAt: ts('mfa_enrolled_at'),
    /** The last TOTP time step accepted: a code of this step or earlier is a replay. */
    totpLastStep: integer('totp_last_step'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    // Emails are stored lower-cased; unique across the whole system, not per organization.
    uniqueIndex('users_email_key').on(t.email),
    index('users_organization_idx').on(t.organizationId),
  ],
);

/** One-time MFA recovery codes, stored as SHA-256 only. */
export const mfaRecoveryCodes = pgTable(
  'mfa_recovery_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [index('mfa_recovery_codes_user_idx').on(t.userId)],
);

/**
 * Sign-in throttling shared by every process on the database. The key is a SHA-256 of the scope
 * (account, IP + account, MFA challenge) so that no email or address is stored in clear.
 */
export const signInThrottles = pgTable('sign_in_throttles', {
  key: text('key').primaryKey(),
  /** Failures since the last success (per IP + account) or since windowStartedAt (per account). */
  failures: integer('failures').notNull(),
  windowStartedAt: ts('window_started_at').notNull(),
  blockedUntil: ts('blocked_until'),
});

/**
 * Wrong guesses of tokens and codes per client (RATE-03), one row per counted failure: a success
 * writes nothing, and failures of different clients or moments never update a shared row. The
 * window's count is the number of rows of (key, window_started_at), read by a range of the key.
 */
export const guessFailures = pgTable(
  'guess_failures',
  {
    /** SHA-256 of `guess-ip:<client>`: no address is stored. */
    key: text('key').notNull(),
    /** When the window this failure counts in opened (its first failure's time). */
    windowStartedAt: ts('window_started_at').notNull(),
    id: uuid('id').notNull(),
    failedAt: ts('failed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStartedAt, t.id] }), index('guess_failures_window_idx').on(t.windowStartedAt)],
);

/** Server-side sessions; the id is the SHA-256 of the cookie value, never the value itself. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    createdAt: ts('created_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    roles: text('roles').array().notNull(),
    createdByUserId: uuid('created_by_user_id').references(() => users.id),
    createdAt: ts('created_at').notNull(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_secret_hash_key').on(t.secretHash), index('api_keys_organization_idx').on(t.organizationId)],
);

/** Provider ↔ reseller. At most one active partnership per pair. */
export const partnerships = pgTable(
  'partnerships',
  {
    id: uuid('id').primaryKey(),
    providerOrganizationId: uuid('provider_organization_id').notNull().references(() => organizations.id),
    resellerOrganizationId: uuid('reseller_organization_id').notNull().references(() => organizations.id),
    state: text('state', { enum: ['active', 'ended'] }).notNull(),
    invitationId: uuid('invitation_id'),
    createdAt: ts('created_at').notNull(),
    endedAt: ts('ended_at'),
    endedByOrganizationId: uuid('ended_by_organization_id'),
  },
  (t) => [
    uniqueIndex('partnerships_active_pair_key')
      .on(t.providerOrganizationId, t.resellerOrganizationId)
      .where(sql`state = 'active'`),
    index('partnerships_reseller_idx').on(t.resellerOrganizationId),
  ],
);

/** Partner (reseller or provider) ↔ customer: "reseller of record". */
export const resellerRelationships = pgTable(
  'reseller_relationships',
  {
    id: uuid('id').primaryKey(),
    partnerOrganizationId: uuid('partner_organization_id').notNull().references(() => organizations.id),
    customerOrganizationId: uuid('customer_organization_id').notNull().references(() => organizations.id),
    state: text('state', { enum: ['active', 'removed'] }).notNull(),
    source: text('source', { enum: ['invitation', 'import'] }).notNull(),
    invitationId: uuid('invitation_id'),
    /**
     * lower(customer name), copied when the relationship is created, so that a partner's customer
     * list is one keyset index scan however many customers it has. Organizations are never
     * renamed; renaming one would have to update this in the same transaction.
     */
    customerSortName: text('customer_sort_name').notNull(),
    /** The customer's domain and country, copied likewise: the other sorts of the list are index scans too. */
    customerDomain: text('customer_domain').notNull(),
    customerCountry: text('customer_country').notNull(),
    createdAt: ts('created_at').notNull(),
    removedAt: ts('removed_at'),
  },
  (t) => [
    uniqueIndex('reseller_relationships_active_pair_key')
      .on(t.partnerOrganizationId, t.customerOrganizationId)
      .where(sql`state = 'active'`),
    index('reseller_relationships_customer_idx').on(t.customerOrganizationId),
    index('reseller_relationships_partner_keyset_idx')
      .on(t.partnerOrganizationId, t.customerSortName, t.customerOrganizationId)
      .where(sql`state = 'active'`),
    index('reseller_relationships_partner_domain_idx')
      .on(t.partnerOrganizationId, t.customerDomain, t.customerOrganizationId)
      .where(sql`state = 'active'`),
    index('reseller_relationships_partner_country_idx')
      .on(t.partnerOrganizationId, t.customerCountry, t.customerOrganizationId)
      .where(sql`state = 'active'`),
    index('reseller_relationships_partner_since_idx')
      .on(t.partnerOrganizationId, t.createdAt, t.customerOrganizationId)
      .where(sql`state = 'active'`),
  ],
);

/**
 * Delegated admin relationship (was "grant"): admin access of a partner's admin agents inside
 * another organization (`organization_id`, the customer). States: created → approval_pending →
 * active → expired | terminated; approval_pending → rejected | lapsed. `expiring` is not stored:
 * it is `active` within 30 days of `ends_at` (the sweep records the moment), so the access check
 * stays `state = 'active' and ends_at in the future` everywhere. Expiry is evaluated against
 * `ends_at` on every check; the sweep also moves lapsed rows to `expired` so lists and audit show it.
 */
export const delegatedAdminGrants = pgTable(
  'delegated_admin_grants',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    partnerOrganizationId: uuid('partner_organization_id').notNull().references(() => organizations.id),
    /** Unique per partner; null for relationships the seed's invitations created. */
    displayName: text('display_name'),
    roles: text('roles').array().notNull(),
    state: text('state', { enum: ['created', 'approval_pending', 'active', 'rejected', 'lapsed', 'expired', 'terminated'] }).notNull(),
    /** ISO 8601 days (P1D–P730D); null: no end (the seed's invitations without a duration). */
    duration: text('duration'),
    autoExtendDuration: text('auto_extend_duration', { enum: ['P0D', 'P180D'] }).notNull().default('P0D'),
    /** Three-party: the reseller that shares the customer and must consent before the customer sees the request. */
    resellerOrganizationId: uuid('reseller_organization_id').references(() => organizations.id),
    resellerConsentedAt: ts('reseller_consented_at'),
    invitationId: uuid('invitation_id'),
    /** When it became active (null before approval). */
    startsAt: ts('starts_at'),
    endsAt: ts('ends_at'),
    approvalRequestedAt: ts('approval_requested_at'),
    /** When the customer approved or rejected. */
    decidedAt: ts('decided_at'),
    /** When it was terminated (either side); the column keeps the seed's name. */
    revokedAt: ts('revoked_at'),
    revokedByOrganizationId: uuid('revoked_by_organization_id'),
    /** The smallest reminder threshold (30, 7, 1 days) already sent for the current end; reset when the end moves. */
    remindedDays: integer('reminded_days'),
    /** How the relationship came to be: an accepted invitation (partnership / reseller relationship) or a partner's request. */
    originType: text('origin_type', { enum: ['partnership', 'reseller_relationship', 'request'] }).notNull(),
    originId: uuid('origin_id').notNull(),
    createdByUserId: uuid('created_by_user_id'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at'),
  },
  (t) => [
    index('delegated_admin_grants_organization_idx').on(t.organizationId),
    index('delegated_admin_grants_partner_idx').on(t.partnerOrganizationId, t.organizationId),
    // A partner's grants in force that end soon (home dashboard), without visiting its other grants.
    index('delegated_admin_grants_partner_ends_idx')
      .on(t.partnerOrganizationId, t.endsAt)
      .where(sql`state = 'active' and ends_at is not null`),
    uniqueIndex('delegated_admin_grants_display_name_key').on(t.partnerOrganizationId, sql`lower(${t.displayName})`).where(sql`display_name is not null`),
    // The sweep: relationships in force with an end, and requests waiting for approval.
    index('delegated_admin_grants_sweep_idx').on(t.state, t.endsAt).where(sql`state in ('active', 'approval_pending')`),
    index('delegated_admin_grants_reseller_idx').on(t.resellerOrganizationId).where(sql`reseller_organization_id is not null`),
  ],
);

/** A partner's proposed change of an active relationship's roles and/or duration; the customer decides. */
export const delegatedAdminAmendments = pgTable(
  'delegated_admin_amendments',
  {
    id: uuid('id').primaryKey(),
    relationshipId: uuid('relationship_id').notNull().references(() => delegatedAdminGrants.id),
    /** Null: unchanged. */
    roles: text('roles').array(),
    duration: text('duration'),
    state: text('state', { enum: ['pending', 'approved', 'rejected', 'superseded'] }).notNull(),
    proposedByUserId: uuid('proposed_by_user_id'),
    decidedByUserId: uuid('decided_by_user_id'),
    createdAt: ts('created_at').notNull(),
    decidedAt: ts('decided_at'),
  },
  (t) => [
    index('delegated_admin_amendments_relationship_idx').on(t.relationshipId, t.createdAt),
    // At most one pending amendment per relationship: a new proposal supersedes the old one.
    uniqueIndex('delegated_admin_amendments_pending_key').on(t.relationshipId).where(sql`state = 'pending'`),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey(),
    /** The inviting organization. */
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    kind: text('kind', { enum: ['partnership', 'reseller_relationship'] }).notNull(),
    /** Joint customer invitations: the provider accepted together with the inviting reseller. */
    providerOrganizationId: uuid('provider_organization_id').references(() => organizations.id),
    email: text('email').notNull(),
    /** SHA-256 of the token, hex; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    delegatedRoles: text('delegated_roles').array().notNull(),
    delegatedAdminDays: integer('delegated_admin_days'),
    state: text('state', { enum: ['pending', 'accepted', 'declined', 'revoked', 'expired'] }).notNull(),
    invitedByUserId: uuid('invited_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    acceptedAt: ts('accepted_at'),
    acceptedByUserId: uuid('accepted_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    acceptedOrganizationId: uuid('accepted_organization_id').references(() => organizations.id),
    closedAt: ts('closed_at'),
  },
  (t) => [
    // Re-sending revokes the older invitation first; this index makes two racing sends fail cleanly.
    uniqueIndex('invitations_pending_key')
      .on(t.organizationId, t.kind, t.email, sql`coalesce(${t.providerOrganizationId}, '00000000-0000-0000-0000-000000000000'::uuid)`)
      .where(sql`state = 'pending'`),
    index('invitations_organization_idx').on(t.organizationId, t.createdAt),
    // The per-recipient invitation quota counts an address's invitations of the last day.
    index('invitations_email_idx').on(t.email, t.createdAt),
    index('invitations_expiry_idx').on(t.expiresAt).where(sql`state = 'pending'`),
  ],
);

/**
 * Append-only. `organization_ids` lists every organization the event concerns; each of them may
 * read it. A trigger refuses UPDATE and DELETE (see the migration).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey(),
    occurredAt: ts('occurred_at').notNull(),
    action: text('action').notNull(),
    actorUserId: uuid('actor_user_id'),
    actorApiKeyId: uuid('actor_api_key_id'),
    actorOrganizationId: uuid('actor_organization_id'),
    actorDisplayName: text('actor_display_name'),
    onBehalfOfType: text('on_behalf_of_type'),
    onBehalfOfId: uuid('on_behalf_of_id'),
    targetType: text('target_type').notNull(),
    targetId: uuid('target_id').notNull(),
    organizationIds: uuid('organization_ids').array().notNull(),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_events_organizations_idx').using('gin', t.organizationIds),
    index('audit_events_occurred_idx').on(t.occurredAt, t.id),
    // Access tracing: the latest actions done through one delegated admin relationship.
    index('audit_events_on_behalf_idx').on(t.onBehalfOfId, t.occurredAt).where(sql`on_behalf_of_id is not null`),
  ],
);

/**
 * Transactional outbox: written in the same transaction as the change that caused it, delivered
 * afterwards by the relay. `payload` is sealed (AES-256-GCM) because emails carry invitation links.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid('id').primaryKey(),
    /**
     * Insert order. Two changes to one row are serialized by its lock, so the later one's message
     * always has the higher value: consumers order a resource's events by it.
     */
    sequence: bigint('sequence', { mode: 'number' }).generatedAlwaysAsIdentity(),
    kind: text('kind', { enum: ['email', 'event'] }).notNull(),
    topic: text('topic').notNull(),
    /** Events about one resource share it (`type:id`): consumers keep their order by `sequence`. */
    orderingKey: text('ordering_key'),
    payload: text('payload'),
    state: text('state', { enum: ['pending', 'sent', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
  },
  (t) => [
    index('outbox_messages_due_idx').on(t.nextAttemptAt).where(sql`state = 'pending'`),
    index('outbox_messages_ordering_idx').on(t.orderingKey, t.sequence).where(sql`state = 'pending' and kind = 'event'`),
  ],
);

/** The embedded mailbox used when no SMTP server is configured. Bodies are sealed like the outbox. */
export const mailboxMessages = pgTable(
  'mailbox_messages',
  {
    id: uuid('id').primaryKey(),
    outboxMessageId: uuid('outbox_message_id').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('mailbox_messages_outbox_key').on(t.outboxMessageId),
    index('mailbox_messages_to_idx').on(t.toAddress, t.createdAt),
    check('mailbox_messages_to_lower', sql`${t.toAddress} = lower(${t.toAddress})`),
  ],
);

/** Operator catalog: a product has SKUs; prices are integers in minor units of `currency`. */
export const products = pgTable('products', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  createdAt: ts('created_at').notNull(),
});

export const skus = pgTable(
  'skus',
  {
    id: uuid('id').primaryKey(),
    productId: uuid('product_id').notNull().references(() => products.id),
    name: text('name').notNull(),
    currency: text('currency').notNull(),
    /** Null when the SKU is not sold on that billing cycle. */
    monthlyPrice: integer('monthly_price'),
    annualPrice: integer('annual_price'),
    minQuantity: integer('min_quantity').notNull(),
    maxQuantity: integer('max_quantity').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('skus_product_idx').on(t.productId),
    check('skus_quantity_bounds', sql`${t.minQuantity} >= 1 and ${t.maxQuantity} >= ${t.minQuantity}`),
  ],
);

/** An order placed for a customer (`organization_id`), through a provider, optionally naming a reseller of record. */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    providerOrganizationId: uuid('provider_organization_id').notNull().references(() => organizations.id),
    resellerOrganizationId: uuid('reseller_organization_id').references(() => organizations.id),
    placedByOrganizationId: uuid('placed_by_organization_id').notNull().references(() => organizations.id),
    placedByUserId: uuid('placed_by_user_id'),
    placedByApiKeyId: uuid('placed_by_api_key_id'),
    state: text('state', { enum: ['pending', 'completed', 'failed'] }).notNull(),
    currency: text('currency').notNull(),
    totalAmount: integer('total_amount').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('orders_organization_idx').on(t.organizationId, t.createdAt),
    index('orders_exposure_idx').on(t.providerOrganizationId, t.resellerOrganizationId, t.createdAt),
    // Dashboards sum a partner's (or everybody's) orders by month: index-only range scans of the last 12 months.
    index('orders_provider_month_idx').on(t.providerOrganizationId, t.createdAt, t.resellerOrganizationId, t.state, t.currency, t.totalAmount),
    index('orders_reseller_month_idx')
      .on(t.resellerOrganizationId, t.createdAt, t.state, t.currency, t.totalAmount)
      .where(sql`reseller_organization_id is not null`),
    index('orders_month_idx').on(t.createdAt, t.state, t.currency, t.totalAmount),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull().references(() => orders.id),
    skuId: uuid('sku_id').notNull().references(() => skus.id),
    quantity: integer('quantity').notNull(),
    billingCycle: text('billing_cycle', { enum: ['monthly', 'annual'] }).notNull(),
    unitPrice: integer('unit_price').notNull(),
    amount: integer('amount').notNull(),
    subscriptionId: uuid('subscription_id').notNull(),
  },
  (t) => [index('order_lines_order_idx').on(t.orderId)],
);

/**
 * Seats of one SKU on one billing cycle that a customer holds through one provider (and reseller
 * of record). Orders grow it; `version` is the ETag for optimistic concurrency.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    providerOrganizationId: uuid('provider_organization_id').notNull().references(() => organizations.id),
    resellerOrganizationId: uuid('reseller_organization_id').references(() => organizations.id),
    skuId: uuid('sku_id').notNull().references(() => skus.id),
    billingCycle: text('billing_cycle', { enum: ['monthly', 'annual'] }).notNull(),
    quantity: integer('quantity').notNull(),
    status: text('status', { enum: ['active', 'suspended'] }).notNull(),
    version: integer('version').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('subscriptions_line_key').on(
      t.organizationId,
      t.providerOrganizationId,
      sql`coalesce(${t.resellerOrganizationId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.skuId,
      t.billingCycle,
    ),
    // A reseller's subscriptions by product (home dashboard): index-only, however large its book.
    index('subscriptions_reseller_idx')
      .on(t.resellerOrganizationId, t.skuId, t.status, t.quantity)
      .where(sql`reseller_organization_id is not null`),
    // A partner's subscriptions across customers (Subscriptions page), newest first from either side of record.
    index('subscriptions_provider_created_idx').on(t.providerOrganizationId, t.createdAt, t.id),
    index('subscriptions_reseller_created_idx')
      .on(t.resellerOrganizationId, t.createdAt, t.id)
      .where(sql`reseller_organization_id is not null`),
    check('subscriptions_quantity_positive', sql`${t.quantity} >= 1`),
  ],
);

/** A provider's credit limit for one of its resellers. */
export const creditTerms = pgTable(
  'credit_terms',
  {
    id: uuid('id').primaryKey(),
    providerOrganizationId: uuid('provider_organization_id').notNull().references(() => organizations.id),
    resellerOrganizationId: uuid('reseller_organization_id').notNull().references(() => organizations.id),
    limitAmount: integer('limit_amount').notNull(),
    currency: text('currency').notNull(),
    updatedAt: ts('updated_at').notNull(),
    /**
     * The running exposure: the sum of the pair's completed orders since `exposurePeriod` (the
     * start of a month, UTC), kept by every order in its own transaction. Of another month than
     * the current one, it reads as 0 (see commerce `loadOrderFacts`).
     */
    exposurePeriod: ts('exposure_period'),
    exposureAmount: bigint('exposure_amount', { mode: 'number' }).notNull().default(0),
  },
  (t) => [uniqueIndex('credit_terms_pair_key').on(t.providerOrganizationId, t.resellerOrganizationId)],
);

/** Idempotency keys of order creation, per organization; a key replays its order for 24 hours. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    orderId: uuid('order_id'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.key] })],
);

/** A seat of a subscription assigned to a user of the customer organization. */
export const licenseAssignments = pgTable(
  'license_assignments',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    subscriptionId: uuid('subscription_id').notNull().references(() => subscriptions.id),
    /** A seat goes with its user: deleting the user frees it. */
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('license_assignments_seat_key').on(t.subscriptionId, t.userId),
    index('license_assignments_user_idx').on(t.userId),
  ],
);

/** An organization's subscription to events, delivered signed (Standard Webhooks). */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    url: text('url').notNull(),
    description: text('description').notNull(),
    /** Empty: every event type the organization may receive. */
    eventTypes: text('event_types').array().notNull(),
    enabled: boolean('enabled').notNull(),
    disabledReason: text('disabled_reason', { enum: ['gone', 'failing'] }),
    /** The signing secret, sealed; the previous one signs too until it expires (rotation). */
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    /** The first failed attempt since the last success: three days of failures disable the endpoint. */
    failingSince: ts('failing_since'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('webhook_endpoints_organization_idx').on(t.organizationId, t.createdAt)],
);

/**
 * One event for one endpoint: the exact body sent on every attempt under one `webhook-id`. Per
 * endpoint and resource, messages go out in the order their changes committed (`position`).
 */
export const webhookMessages = pgTable(
  'webhook_messages',
  {
    id: text('id').primaryKey(),
    endpointId: uuid('endpoint_id').notNull().references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id').notNull().references(() => organizations.id),
    /** The outbox event it was fanned out from (none for test events). */
    eventId: uuid('event_id'),
    eventType: text('event_type').notNull(),
    resourceKey: text('resource_key').notNull(),
    /** Per endpoint and resource, messages go out in this order: the event's outbox sequence. */
    position: bigint('position', { mode: 'number' }).notNull(),
    occurredAt: ts('occurred_at').notNull(),
    body: text('body').notNull(),
    state: text('state', { enum: ['pending', 'succeeded', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at'),
    lockedUntil: ts('locked_until'),
    createdAt: ts('created_at').notNull(),
    deliveredAt: ts('delivered_at'),
  },
  (t) => [
    uniqueIndex('webhook_messages_event_key').on(t.endpointId, t.eventId),
    index('webhook_messages_due_idx').on(t.nextAttemptAt).where(sql`state = 'pending'`),
    index('webhook_messages_order_idx').on(t.endpointId, t.resourceKey, t.position).where(sql`state = 'pending'`),
    index('webhook_messages_endpoint_idx').on(t.endpointId, t.createdAt, t.id),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey(),
    messageId: text('message_id').notNull().references(() => webhookMessages.id, { onDelete: 'cascade' }),
    attemptedAt: ts('attempted_at').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    response: text('response'),
  },
  (t) => [index('webhook_attempts_message_idx').on(t.messageId, t.attemptedAt)],
);
