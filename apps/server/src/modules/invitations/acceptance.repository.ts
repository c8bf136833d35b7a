import { eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { preparedQuery, preparedSql, type Executor } from '../../db/database.ts';
import { auditedChange, emailValues, queuedEmails, stampValues } from '../../platform/audited-change.ts';
import type { AuditStamp } from '../../platform/audit.ts';
import type { OutboxRow } from '../../platform/outbox.ts';
import { delegatedAdminGrants, invitations, organizations, partnerships, resellerRelationships, users } from '../../db/schema.ts';
import type { GrantRow, OrganizationRef } from '../delegated-admin/index.ts';
import type { PartnershipRow } from '../partnerships/index.ts';
import type { InvitationRow } from './invitations.repository.ts';

/*
 * The two statements of an acceptance: one reads everything the checks and the notices need, one
 * (in autocommit: it is the acceptance's transaction) writes everything the acceptance changes,
 * its audit records, their events and the notices included, and returns it. They touch the tables
 * of customers, delegated-admin, partnerships and identity because the acceptance is what creates
 * those rows.
 */

export interface Recipient {
  email: string;
  displayName: string;
}

export interface AcceptanceSubject {
  invitation: InvitationRow;
  inviter: OrganizationRef;
  provider: OrganizationRef | null;
  /** The accepting organization (the actor's). */
  accepter: OrganizationRef | null;
  /** Who receives the "accepted" notice for the inviting side: the inviting user while active, else its organization's global admins. */
  inviterRecipients: Recipient[];
  /** Global admins of the joint provider (empty without one). */
  providerRecipients: Recipient[];
  /** Joint invitations: the provider and the inviting reseller still have an active partnership. */
  jointPartnershipActive: boolean;
}

const inviterOrg = alias(organizations, 'inviter_org');
const providerOrg = alias(organizations, 'provider_org');
const accepterOrg = alias(organizations, 'accepter_org');
const inviterUser = alias(users, 'inviter_user');

/** Active global admins of `organizationId` as a JSON array, oldest first (as `listOrganizationAdmins`). */
const adminsOf = (organizationId: AnyPgColumn) => sql`coalesce((
  select jsonb_agg(jsonb_build_object('email', u.email, 'displayName', u.display_name) order by u.created_at)
  from ${users} u where u.organization_id = ${organizationId} and u.status = 'active' and 'global_admin' = any(u.roles)), '[]'::jsonb)`;

function recipients(value: unknown): Recipient[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((r: unknown) => {
    if (typeof r !== 'object' || r === null) return [];
    const { email, displayName } = r as Record<string, unknown>;
    return typeof email === 'string' && typeof displayName === 'string' ? [{ email, displayName }] : [];
  });
}

/**
 * The invitation with the organizations, the notice recipients and the joint partnership, read
 * without a lock: the write re-checks in its own statement what a concurrent change can alter.
 */
export async function readAcceptance(db: Executor, id: string, accepterId: string): Promise<AcceptanceSubject | undefined> {
  const [row] = await acceptanceSubject(db).execute({ id, accepterId });
  if (row === undefined) return undefined;
  const inviterRecipients =
    row.inviterUser !== null && row.inviterUser.active ? [{ email: row.inviterUser.email, displayName: row.inviterUser.displayName }] : row.inviterAdmins;
  return {
    invitation: row.invitation,
    inviter: row.inviter,
    provider: row.provider,
    accepter: row.accepter,
    inviterRecipients,
    providerRecipients: row.providerAdmins,
    jointPartnershipActive: row.jointPartnershipActive,
  };
}

const inviterActive = sql`${inviterUser.status} = 'active'`;
const acceptanceSubject = preparedQuery('invitations_acceptance_subject', (db) =>
  db
    .select({
      invitation: invitations,
      inviter: { id: inviterOrg.id, name: inviterOrg.name, domain: inviterOrg.domain, country: inviterOrg.country },
      provider: { id: providerOrg.id, name: providerOrg.name, domain: providerOrg.domain, country: providerOrg.country },
      accepter: { id: accepterOrg.id, name: accepterOrg.name, domain: accepterOrg.domain, country: accepterOrg.country },
      inviterUser: { email: inviterUser.email, displayName: inviterUser.displayName, active: sql<boolean>`${inviterActive}` },
      // Only read when the inviting user cannot be notified.
      inviterAdmins: sql`case when ${inviterActive} then '[]'::jsonb else ${adminsOf(invitations.organizationId)} end`.mapWith(recipients),
      providerAdmins: sql`case when ${invitations.providerOrganizationId} is null then '[]'::jsonb else ${adminsOf(invitations.providerOrganizationId)} end`.mapWith(recipients),
      jointPartnershipActive: sql<boolean>`${invitations.providerOrganizationId} is not null and exists (
        select 1 from ${partnerships} p where p.provider_organization_id = ${invitations.providerOrganizationId}
        and p.reseller_organization_id = ${invitations.organizationId} and p.state = 'active')`,
    })
    .from(invitations)
    .innerJoin(inviterOrg, eq(inviterOrg.id, invitations.organizationId))
    .leftJoin(providerOrg, eq(providerOrg.id, invitations.providerOrganizationId))
    .leftJoin(accepterOrg, eq(accepterOrg.id, sql.placeholder('accepterId')))
    .leftJoin(inviterUser, eq(inviterUser.id, invitations.invitedByUserId))
    .where(eq(invitations.id, sql.placeholder('id'))),
);

/** A row of `table` from its `to_jsonb`, decoded by the table's own columns (as a typed select would). */
function decodeRow<T extends PgTable>(table: T, value: unknown): T['$inferSelect'] {
  const json = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const raw = json[column.name];
    row[key] = raw === null || raw === undefined ? null : column.mapFromDriverValue(raw);
  }
  return row as T['$inferSelect'];
}

/** Null for a CTE that returned nothing. */
function decodeOptional<T extends PgTable>(table: T, value: unknown): T['$inferSelect'] | null {
  return value === null || value === undefined ? null : decodeRow(table, value);
}

function decodeRows<T extends PgTable>(table: T, value: unknown): T['$inferSelect'][] {
  const list: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(list) ? list.map((item: unknown) => decodeRow(table, item)) : [];
}

export interface AcceptanceWrite {
  /** Who accepted, and when. */
  userId: string;
  organizationId: string;
  now: Date;
  /** End of the delegated admin access a new grant gets. */
  grantEndsAt: Date | null;
  /** The records' who and when: the statement writes them (`auditedChange`). */
  stamp: AuditStamp;
  /** The notices, sealed (`emailRow`): inserted with the acceptance, or not at all. */
  emails: readonly OutboxRow[];
}

/** Why an acceptance's statement changed nothing, seen at its own snapshot; null: it changed, or a concurrent change got there first. */
export type AcceptanceRefusal = 'partnership_exists' | 'relationship_exists' | 'partnership_not_active';

/** What both kinds' statements answer when they changed nothing. */
export interface Unchanged {
  /** The invitation at the statement's snapshot (undefined: gone), for the caller's own checks. */
  unchanged: InvitationRow | undefined;
  refusal: AcceptanceRefusal | null;
}

/*
 * Both write statements are named prepared statements (planning their CTEs cost more than running
 * them): their values are placeholders, the same for every acceptance of their kind.
 */
const now = sql`${sql.placeholder('now')}::timestamptz`;
const accepter = sql`${sql.placeholder('organizationId')}::uuid`;
const grantEndsAt = sql`${sql.placeholder('grantEndsAt')}::timestamptz`;
const invitationId = sql`${sql.placeholder('invitationId')}::uuid`;

/**
 * The values of the acceptance's placeholders that every kind has. The token digest is the one
 * the read's checks matched: the write happens only while it is still the invitation's.
 */
function acceptanceValues(invitation: InvitationRow, w: AcceptanceWrite): Record<string, unknown> {
  return {
    invitationId: invitation.id,
    userId: w.userId,
    organizationId: w.organizationId,
    now: w.now.toISOString(),
    tokenHash: invitation.tokenHash,
    grantEndsAt: w.grantEndsAt?.toISOString() ?? null,
    ...stampValues(w.stamp),
    ...emailValues(w.emails),
  };
}

/**
 * The invitation's conditional move out of `pending` and the acceptor's email proof, as CTEs of
 * the acceptance's statement. The row's lock serializes concurrent accepts and revokes: the later
 * one re-reads the row, finds it no longer pending and changes nothing. `guard` is the kind's own
 * condition that there is something to create; it reads the statement's snapshot.
 */
const closeAndVerify = (guard: SQL) => sql`closed as (
    update ${invitations} i set state = 'accepted', accepted_at = ${now}, accepted_by_user_id = ${sql.placeholder('userId')}::uuid,
      accepted_organization_id = ${accepter}, closed_at = ${now}
    where i.id = ${invitationId} and i.state = 'pending' and i.token_hash = ${sql.placeholder('tokenHash')}::text and i.expires_at > ${now}
      and ${guard}
    returning i.*
  ),
  verified as (
    update ${users} set email_verified_at = ${now}
    where id = ${sql.placeholder('userId')}::uuid and email_verified_at is null and exists (select 1 from closed)
  )`;

/** The invitation at the statement's snapshot, only read when the statement changed nothing. */
const unchangedInvitation = sql`case when not exists (select 1 from closed) then (select to_jsonb(i) from ${invitations} i where i.id = ${invitationId}) end`;

function unchanged(row: Record<string, unknown> | undefined): Unchanged {
  const refusal = row?.['refusal'];
  return {
    unchanged: decodeOptional(invitations, row?.['unchanged']) ?? undefined,
    refusal: refusal === 'partnership_exists' || refusal === 'relationship_exists' || refusal === 'partnership_not_active' ? refusal : null,
  };
}

/** Live at `now`: the same condition as the delegated-admin module's `liveCondition`. */
const liveAt = sql`g.state = 'active' and (g.ends_at is null or g.ends_at > ${now})`;

/** The relationship's ISO 8601 duration from the invitation's days (null: no end). */
const grantDuration = sql`case when c.delegated_admin_days is null then null else 'P' || c.delegated_admin_days || 'D' end`;

function insertGrantColumns(): SQL {
  return sql`insert into ${delegatedAdminGrants} (id, organization_id, partner_organization_id, roles, state, starts_at, ends_at, origin_type, origin_id, created_at, duration, decided_at, invitation_id)`;
}

/*
 * The audit records, as the `change` rows of `auditedChange` (the same fields as the modules'
 * `relationshipCreatedEvent`, `grantedEvent` and `partnershipCreatedEvent` record), in the order
 * the acceptance records them: the invitation's first.
 */
const acceptedRecord = sql`select 1::int as n, 'invitation.accepted'::text as action, 'invitation'::text as target_type, c.id as target_id,
    array[c.organization_id, ${accepter}] || case when c.provider_organization_id is null then '{}'::uuid[] else array[c.provider_organization_id] end as organization_ids,
    null::text as on_behalf_of_type, null::uuid as on_behalf_of_id, '{"state": "pending"}'::jsonb as before, '{"state": "accepted"}'::jsonb as after
  from closed c`;

/** `grant.endsAt` as JavaScript's `toISOString` writes it. */
const grantRecord = (n: SQL) => sql`select ${n}, 'delegated_admin.granted', 'delegated_admin_grant', g.id, array[g.organization_id, g.partner_organization_id],
    g.origin_type, g.origin_id, null, jsonb_build_object('roles', g.roles,
      'endsAt', to_char(g.ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

export interface PartnershipAcceptance extends Unchanged {
  /** Null when the statement changed nothing. */
  invitation: InvitationRow | null;
  partnership: PartnershipRow | null;
  /** The created grant, unless the provider already held live access. */
  createdGrant: GrantRow | null;
  /** The provider's live grants in the reseller after the acceptance, oldest first. */
  grants: GrantRow[];
}

/**
 * Accepts a partnership invitation in one statement: closes it, proves the email, creates the
 * partnership and grants the provider delegated admin in the reseller unless it holds a live grant
 * already; nothing when the pair has an active partnership (`partnership_exists`).
 */
export async function writePartnershipAcceptance(
  db: Executor,
  invitation: InvitationRow,
  w: AcceptanceWrite & { partnershipId: string; grantId: string },
): Promise<PartnershipAcceptance> {
  const [row] = await partnershipAcceptance(db).execute({
    ...acceptanceValues(invitation, w),
    providerId: invitation.organizationId,
    partnershipId: w.partnershipId,
    grantId: w.grantId,
  });
  return {
    invitation: decodeOptional(invitations, row?.['invitation']),
    partnership: decodeOptional(partnerships, row?.['partnership']),
    createdGrant: decodeOptional(delegatedAdminGrants, row?.['created_grant']),
    grants: decodeRows(delegatedAdminGrants, row?.['grants']),
    ...unchanged(row),
  };
}

/** The stamp's records of a partnership acceptance: the invitation's, the partnership's and, unless the provider held live access, the grant's. */
export const partnershipAcceptanceRecords = 3;

const provider = sql`${sql.placeholder('providerId')}::uuid`;
const activePartnership = sql`exists (select 1 from ${partnerships}
  where provider_organization_id = ${provider} and reseller_organization_id = ${accepter} and state = 'active')`;
const partnershipAcceptance = preparedSql('invitations_accept_partnership', sql`
    with ${closeAndVerify(sql`not ${activePartnership}`)},
    created as (
      insert into ${partnerships} (id, provider_organization_id, reseller_organization_id, state, invitation_id, created_at)
      select ${sql.placeholder('partnershipId')}::uuid, ${provider}, ${accepter}, 'active', c.id, ${now}
      from closed c
      returning *
    ),
    live as (
      select g.* from ${delegatedAdminGrants} g
      where g.partner_organization_id = ${provider} and g.organization_id = ${accepter} and ${liveAt}
    ),
    granted as (
      ${insertGrantColumns()}
      select ${sql.placeholder('grantId')}::uuid, ${accepter}, ${provider}, c.delegated_roles, 'active', ${now},
        ${grantEndsAt}, 'partnership', p.id, ${now}, ${grantDuration}, ${now}, c.id
      from created p cross join closed c
      where not exists (select 1 from live)
      returning *
    ),
    change as (
      ${acceptedRecord}
      union all
      select 2, 'partnership.created', 'partnership', p.id, array[p.provider_organization_id, p.reseller_organization_id], null, null, null, '{"state": "active"}'::jsonb
      from created p
      union all
      ${grantRecord(sql`3`)} from granted g
    ),
    ${auditedChange('change')},
    ${queuedEmails('closed')}
    select
      (select to_jsonb(c) from closed c) as invitation,
      (select to_jsonb(p) from created p) as partnership,
      (select to_jsonb(g) from granted g) as created_grant,
      (select jsonb_agg(to_jsonb(g) order by g.created_at, g.id) from (select * from live union all select * from granted) g) as grants,
      ${unchangedInvitation} as unchanged,
      case when not exists (select 1 from closed) and ${activePartnership} then 'partnership_exists' end as refusal`);

export type RelationshipRow = typeof resellerRelationships.$inferSelect;

export interface RelationshipAcceptance extends Unchanged {
  /** Null when the statement changed nothing. */
  invitation: InvitationRow | null;
  /** One per partner: its active relationship after the acceptance, oldest first (ties in the partners' order). */
  relationships: { partnerId: string; relationship: RelationshipRow; created: boolean }[];
  /** The partners' live grants in the customer after the acceptance, oldest first. */
  grants: GrantRow[];
}

/**
 * Accepts a reseller relationship invitation in one statement: closes it, proves the email, and
 * for each partner (in order) creates the relationship unless an active one exists (which is
 * locked) and grants delegated admin in the customer unless the partner holds a live grant. A new
 * invitation is also how a partner asks again for admin access the customer revoked or that
 * lapsed: only when nothing at all would change does it change nothing (`relationship_exists`). A
 * joint invitation needs the reseller and the provider still partners (`partnership_not_active`).
 */
export async function writeRelationshipAcceptance(
  db: Executor,
  invitation: InvitationRow,
  w: AcceptanceWrite,
  partners: { partnerId: string; relationshipId: string; grantId: string }[],
): Promise<RelationshipAcceptance> {
  const [row] = await relationshipAcceptance(db).execute({
    ...acceptanceValues(invitation, w),
    partnerIds: partners.map((p) => p.partnerId),
    relationshipIds: partners.map((p) => p.relationshipId),
    grantIds: partners.map((p) => p.grantId),
  });
  const listed: unknown = row?.['relationships'] ?? [];
  const relationships = (Array.isArray(listed) ? listed : []).flatMap((item: unknown) => {
    const { position, relationship, created } = item as { position: number; relationship: unknown; created: boolean };
    const partner = partners[position];
    return partner === undefined ? [] : [{ partnerId: partner.partnerId, relationship: decodeRow(resellerRelationships, relationship), created }];
  });
  return {
    invitation: decodeOptional(invitations, row?.['invitation']),
    relationships,
    grants: decodeRows(delegatedAdminGrants, row?.['grants']),
    ...unchanged(row),
  };
}

/** The stamp's records of a relationship acceptance with `partners` partners: the invitation's, then up to one relationship and one grant per partner. */
export function relationshipAcceptanceRecords(partners: number): number {
  return 1 + 2 * partners;
}

/** A joint invitation's reseller (the inviter) and provider are still partners; true without a provider. */
const jointActive = sql`(i.provider_organization_id is null or exists (select 1 from ${partnerships} p
  where p.provider_organization_id = i.provider_organization_id and p.reseller_organization_id = i.organization_id and p.state = 'active'))`;
/** Some partner lacks the relationship or a live grant. */
const somethingToChange = sql`exists (select 1 from partners p
  where not exists (select 1 from existing e where e.partner_organization_id = p.partner_id)
    or not exists (select 1 from live l where l.partner_organization_id = p.partner_id))`;

/** The partners as three arrays (one statement for one partner or two): positions 0, 1, … in the given order. */
const relationshipAcceptance = preparedSql('invitations_accept_relationship', sql`
    with partners (partner_id, relationship_id, grant_id, position) as (
      select u.partner_id, u.relationship_id, u.grant_id, (u.ordinality - 1)::int
      from unnest(${sql.placeholder('partnerIds')}::uuid[], ${sql.placeholder('relationshipIds')}::uuid[], ${sql.placeholder('grantIds')}::uuid[])
        with ordinality as u(partner_id, relationship_id, grant_id, ordinality)
    ),
    existing as (
      select rr.* from ${resellerRelationships} rr join partners p on p.partner_id = rr.partner_organization_id
      where rr.customer_organization_id = ${accepter} and rr.state = 'active'
      for update of rr
    ),
    live as (
      select g.* from ${delegatedAdminGrants} g join partners p on p.partner_id = g.partner_organization_id
      where g.organization_id = ${accepter} and ${liveAt}
    ),
    ${closeAndVerify(sql`${jointActive} and ${somethingToChange}`)},
    created as (
      insert into ${resellerRelationships} (id, partner_organization_id, customer_organization_id, state, source, invitation_id, customer_sort_name, customer_domain, customer_country, created_at)
      select p.relationship_id, p.partner_id, ${accepter}, 'active', 'invitation', c.id,
        lower(o.name), o.domain, o.country, ${now}
      from partners p cross join closed c join ${organizations} o on o.id = ${accepter}
      where not exists (select 1 from existing e where e.partner_organization_id = p.partner_id)
      order by p.position
      returning *
    ),
    relationships as (
      select p.position, r.rel, r.created from partners p
      join (select to_jsonb(e) as rel, e.partner_organization_id, false as created from existing e
            union all select to_jsonb(n), n.partner_organization_id, true from created n) r on r.partner_organization_id = p.partner_id
    ),
    granted as (
      ${insertGrantColumns()}
      select p.grant_id, ${accepter}, p.partner_id, c.delegated_roles, 'active', ${now},
        ${grantEndsAt}, 'reseller_relationship', (r.rel ->> 'id')::uuid, ${now}, ${grantDuration}, ${now}, c.id
      from partners p join relationships r on r.position = p.position cross join closed c
      where not exists (select 1 from live l where l.partner_organization_id = p.partner_id)
      order by p.position
      returning *
    ),
    change as (
      ${acceptedRecord}
      union all
      select 2 + p.position, 'reseller_relationship.created', 'reseller_relationship', n.id, array[n.partner_organization_id, n.customer_organization_id],
        null, null, null, jsonb_build_object('state', 'active', 'source', n.source)
      from created n join partners p on p.partner_id = n.partner_organization_id
      union all
      ${grantRecord(sql`2 + (select count(*)::int from partners) + p.position`)}
      from granted g join partners p on p.partner_id = g.partner_organization_id
    ),
    ${auditedChange('change')},
    ${queuedEmails('closed')}
    select
      (select to_jsonb(c) from closed c) as invitation,
      (select jsonb_agg(jsonb_build_object('position', r.position, 'relationship', r.rel, 'created', r.created) order by (r.rel ->> 'created_at')::timestamptz, r.position) from relationships r) as relationships,
      (select jsonb_agg(to_jsonb(g) order by g.created_at, g.id) from (select * from live union all select * from granted) g) as grants,
      ${unchangedInvitation} as unchanged,
      case when exists (select 1 from closed) then null
        when not (select ${jointActive} from ${invitations} i where i.id = ${invitationId}) then 'partnership_not_active'
        when not ${somethingToChange} then 'relationship_exists' end as refusal`);
