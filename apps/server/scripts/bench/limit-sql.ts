// The limit baseline: what each benchmarked request would cost if a careful engineer wrote its SQL
// by hand. Each operation does the same work as the app's use case for the bench's inputs (the same
// rows written, the same checks, fsync'd commits), as named prepared statements planned once per
// connection with a generic plan (`plan_cache_mode = force_generic_plan`: every statement here is
// written so that its generic plan uses its index). Used by the runner's straight `pg` loop and by
// the bare Fastify server (`limit-server.ts`). See docs/scale.md, "Limit baseline".
//
// Deliberate scope: the operations cover the bench's cases (a reseller's own, non-joint customer
// invitation; a one-line order growing an existing subscription; a quantity change). Failure paths
// answer a status without the app's detailed reasons.
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { guessKey } from '../../src/modules/identity/guess-throttle.ts';
import { guessPolicy, sessionPolicy } from '../../src/modules/identity/identity.policy.ts';
import { encodeSortCursor } from '../../src/platform/sorted-keyset.ts';
import { hashToken } from '../../src/platform/tokens.ts';

export interface LimitAnswer {
  status: number;
  body: unknown;
}

type Client = pg.ClientBase;

/** Connection options of every limit connection: generic plans only, as the statements are written for them. */
export const limitConnectionOptions = '-c plan_cache_mode=force_generic_plan';

/** Outbox rows of the limit are not for the app's relay: due in a far future, deleted by `cleanUpLimit`. */
const parked = '2999-01-01T00:00:00Z';

const zeroId = '00000000-0000-0000-0000-000000000000';

async function run(client: Client, name: string, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  return (await client.query({ name, text, values })).rows as Record<string, unknown>[];
}

/** An outbox event row built from an audit row in SQL, as the unit of work publishes it. */
const eventPayload = (a: string, via: string) => `jsonb_build_object('auditEventId', ${a}.id, 'action', ${a}.action, 'occurredAt', ${a}.occurred_at,
  'target', jsonb_build_object('type', ${a}.target_type, 'id', ${a}.target_id), 'organizationIds', ${a}.organization_ids,
  'actor', jsonb_build_object('userId', ${a}.actor_user_id, 'organizationId', ${a}.actor_organization_id, 'via', '${via}'),
  'before', ${a}.before, 'after', ${a}.after)::text`;

// ---- customers.list: ONE statement, grants aggregated per row, the customer's organization joined once.
// Matches listCustomerPage (the page) + listLiveGrantsOfPartner (its grants). `state = 'active'` is a
// literal, so the generic plan uses the partial keyset index; the first page is the keyset after ('', 0).
// The answer is the app's, byte for byte (the bench compares them before measuring): the contract's
// Customer, whose relationship and grants name the partner and the customer, built from the rows
// in Node and serialized by Fastify's JSON.stringify.
const pageColumns = `rr.id as relationship_id, rr.state, rr.source, rr.created_at, rr.removed_at, rr.customer_sort_name as sort_key,
  o.id, o.name, o.domain, o.country, p.id as partner_id, p.name as partner_name, p.domain as partner_domain, p.country as partner_country,
  coalesce((select json_agg(json_build_object('id', g.id, 'roles', g.roles, 'startsAt', coalesce(g.starts_at, g.created_at), 'endsAt', g.ends_at) order by g.created_at, g.id)
    from delegated_admin_grants g
    where g.partner_organization_id = $1 and g.organization_id = rr.customer_organization_id
      and g.state = 'active' and (g.ends_at is null or g.ends_at > now())), '[]') as grants`;

const pageFrom = `reseller_relationships rr join organizations o on o.id = rr.customer_organization_id join organizations p on p.id = rr.partner_organization_id`;

const listText = `select ${pageColumns}
  from ${pageFrom}
  where rr.partner_organization_id = $1 and rr.state = 'active' and (rr.customer_sort_name, rr.customer_organization_id) > ($2::text, $3::uuid)
  order by rr.customer_sort_name, rr.customer_organization_id
  limit $4`;

const iso = (value: unknown) => (value instanceof Date ? value : new Date(String(value))).toISOString();

/** A page row as the contract's Customer (the keys in the app's order). */
function customerOf(row: Record<string, unknown>) {
  const partner = { id: row['partner_id'], name: row['partner_name'], domain: row['partner_domain'], country: row['partner_country'] };
  const customer = { id: row['id'], name: row['name'], domain: row['domain'], country: row['country'] };
  const grants = row['grants'] as { id: string; roles: string[]; startsAt: string; endsAt: string | null }[];
  return {
    ...customer,
    relationship: {
      id: row['relationship_id'],
      partner,
      customer,
      state: row['state'],
      source: row['source'],
      createdAt: iso(row['created_at']),
      removedAt: row['removed_at'] === null ? null : iso(row['removed_at']),
    },
    delegatedAdmin: grants.map((g) => ({
      id: g.id,
      partner,
      organization: customer,
      roles: g.roles,
      state: 'active',
      startsAt: iso(g.startsAt),
      endsAt: g.endsAt === null ? null : iso(g.endsAt),
      revokedAt: null,
    })),
  };
}

export async function limitList(client: Client, input: { partnerId: string; after: { name: string; id: string } | null; limit: number }): Promise<LimitAnswer> {
  const rows = await run(client, 'limit_list', listText, [input.partnerId, input.after?.name ?? '', input.after?.id ?? zeroId, input.limit + 1]);
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > input.limit && last !== undefined ? encodeSortCursor('name', 'asc', [String(last['sort_key'])], String(last['id'])) : null;
  return { status: 200, body: { items: items.map(customerOf), nextCursor, count: null } };
}

// ---- customers.get: the same columns for one customer (the active pair's unique index). Matches
// getCustomer (listCustomerViews with customerId + listGrantViews live now).
const getText = `select ${pageColumns}
  from ${pageFrom}
  where rr.partner_organization_id = $1 and rr.customer_organization_id = $2 and rr.state = 'active'`;

export async function limitGet(client: Client, input: { partnerId: string; customerId: string }): Promise<LimitAnswer> {
  const [row] = await run(client, 'limit_get', getText, [input.partnerId, input.customerId]);
  return row === undefined ? { status: 404, body: { code: 'not_found' } } : { status: 200, body: customerOf(row) };
}

// ---- invitations.accept: ONE statement, autocommit. As the app's request path: the session
// (cookie secret's SHA-256 → live session of an active user, as the access hook's lookup) and the
// client address's wrong-guess window (RATE-03: a blocked address is refused before any token is
// compared) are read first; then the conditional UPDATE is the invitation's row lock and its checks
// at once (app: lockForAcceptance, assertPending, acceptanceRefusal); then, as in
// writeRelationshipAcceptance: the acceptor's email proof, the relationship (its unique partial index
// refuses a second active one), the grant unless a live one exists; then the unit of work's rows:
// three audit events (invitation.accepted, reseller_relationship.created, delegated_admin.granted),
// their three outbox events and the inviter's "accepted" e-mail. It returns what the contract's
// AcceptedInvitation shows (the inviting organization is read for it).
const acceptText = `with me as (
    select u.id, u.organization_id, u.email, u.display_name, u.roles
    from sessions s join users u on u.id = s.user_id
    where s.id = $14 and s.revoked_at is null and s.expires_at > $3 and s.last_seen_at > $15 and u.status = 'active'
  ),
  -- The app slides the session's last-seen mark at most once a minute (sessionPolicy.touchEveryMs):
  -- the bench's sessions were made before the runs, so later runs find it due, and the limit writes it too.
  touched as (update sessions set last_seen_at = $3 where id = $14 and last_seen_at < $18 and exists (select 1 from me)),
  guesses as (select count(*) as n from guess_failures g where g.key = $16 and g.window_started_at > $17),
  inv as (
    update invitations i set state = 'accepted', accepted_at = $3, accepted_by_user_id = u.id, accepted_organization_id = u.organization_id, closed_at = $3
    from me u, organizations c, organizations p
    where i.id = $1 and i.state = 'pending' and i.token_hash = $2 and i.expires_at > $3 and (select n from guesses) < ${guessPolicy.limit}
      and i.kind = 'reseller_relationship' and i.provider_organization_id is null and i.organization_id <> u.organization_id
      and u.email = i.email and 'global_admin' = any(u.roles)
      and c.id = u.organization_id and c.kind = 'customer' and p.id = i.organization_id
    returning i.id, i.kind, i.email, i.organization_id, i.delegated_roles, i.delegated_admin_days, i.invited_by_user_id, i.created_at, i.expires_at,
      u.id as user_id, u.display_name, c.id as customer_id, c.name as customer_name, c.domain, c.country,
      p.name as inviter_name, p.domain as inviter_domain, p.country as inviter_country
  ),
  verified as (
    update users set email_verified_at = $3 where id = (select user_id from inv) and email_verified_at is null
  ),
  rel as (
    insert into reseller_relationships (id, partner_organization_id, customer_organization_id, state, source, invitation_id, customer_sort_name, customer_domain, customer_country, created_at)
    select $4, inv.organization_id, inv.customer_id, 'active', 'invitation', inv.id, lower(inv.customer_name), inv.domain, inv.country, $3 from inv
    returning id, partner_organization_id, source, created_at
  ),
  granted as (
    insert into delegated_admin_grants (id, organization_id, partner_organization_id, roles, state, starts_at, ends_at, origin_type, origin_id, created_at)
    select $5, inv.customer_id, rel.partner_organization_id, inv.delegated_roles, 'active', $3,
      case when inv.delegated_admin_days is null then null else $3 + make_interval(days => inv.delegated_admin_days) end, 'reseller_relationship', rel.id, $3
    from inv, rel
    where not exists (select 1 from delegated_admin_grants g where g.organization_id = inv.customer_id and g.partner_organization_id = inv.organization_id
      and g.state = 'active' and (g.ends_at is null or g.ends_at > $3))
    returning id, roles, starts_at, ends_at, origin_type, origin_id
  ),
  audited as (
    insert into audit_events (id, occurred_at, action, actor_user_id, actor_organization_id, actor_display_name, on_behalf_of_type, on_behalf_of_id, target_type, target_id, organization_ids, before, after, request_id)
    select x.id, $3, x.action, inv.user_id, inv.customer_id, inv.display_name, x.behalf_type, x.behalf_id, x.target_type, x.target_id, array[inv.organization_id, inv.customer_id], x.before, x.after, $9
    from inv cross join rel cross join granted cross join lateral (values
      ($6::uuid, 'invitation.accepted', null::text, null::uuid, 'invitation', inv.id, '{"state":"pending"}'::jsonb, '{"state":"accepted"}'::jsonb),
      ($7::uuid, 'reseller_relationship.created', null, null, 'reseller_relationship', rel.id, null, jsonb_build_object('state', 'active', 'source', rel.source)),
      ($8::uuid, 'delegated_admin.granted', granted.origin_type, granted.origin_id, 'delegated_admin_grant', granted.id, null, jsonb_build_object('roles', granted.roles, 'endsAt', granted.ends_at))
    ) as x(id, action, behalf_type, behalf_id, target_type, target_id, before, after)
    returning *
  ),
  outboxed as (
    insert into outbox_messages (id, kind, topic, ordering_key, payload, state, next_attempt_at, created_at)
    select m.id, 'event', a.action, a.target_type || ':' || a.target_id, ${eventPayload('a', 'user')}, 'pending', '${parked}'::timestamptz, $3
    from audited a join (values ($6::uuid, $10::uuid), ($7, $11), ($8, $12)) as m(audit_id, id) on m.audit_id = a.id
    union all
    select $13, 'email', 'invitation.accepted', null,
      jsonb_build_object('to', u.email, 'subject', 'Invitation accepted: ' || inv.customer_name || ' accepted the reseller relationship',
        'text', 'Hello ' || u.display_name || ', ' || inv.customer_name || ' (' || inv.display_name || ', ' || inv.email || ') accepted the reseller relationship. It now appears in your lists on Tierlink.')::text,
      'pending', '${parked}'::timestamptz, $3
    from inv join users u on u.id = inv.invited_by_user_id and u.status = 'active'
    returning 1
  )
  select exists (select 1 from me) as signed_in, (select n from guesses) >= ${guessPolicy.limit} as blocked, inv.*,
    rel.id as relationship_id, rel.created_at as relationship_created_at, granted.id as grant_id, granted.roles, granted.starts_at, granted.ends_at,
    (select count(*) from outboxed) as messages
  from (select 1) as one left join inv on true left join rel on true left join granted on true`;

export async function limitAccept(
  client: Client,
  input: { invitationId: string; token: string; session: string; clientAddress: string; requestId: string },
): Promise<LimitAnswer> {
  const now = new Date();
  try {
    const [row] = await run(client, 'limit_accept', acceptText, [
      input.invitationId, hashToken(input.token), now,
      uuidv7(), uuidv7(), uuidv7(), uuidv7(), uuidv7(), input.requestId, uuidv7(), uuidv7(), uuidv7(), uuidv7(),
      // The app's session id, idle limit, throttle key and window: the same rows read.
      hashToken(input.session), new Date(now.getTime() - sessionPolicy.idleMs), guessKey(input.clientAddress), new Date(now.getTime() - guessPolicy.windowMs),
      new Date(now.getTime() - sessionPolicy.touchEveryMs),
    ]);
    if (row === undefined || row['signed_in'] !== true) return { status: 401, body: { code: 'unauthenticated' } };
    if (row['blocked'] === true) return { status: 429, body: { code: 'rate_limited' } };
    if (row['id'] === null) return { status: 410, body: { code: 'invitation_not_pending' } };
    const inviter = { id: row['organization_id'], name: row['inviter_name'], domain: row['inviter_domain'], country: row['inviter_country'] };
    const customer = { id: row['customer_id'], name: row['customer_name'], domain: row['domain'], country: row['country'] };
    // The contract's AcceptedInvitation, as the app answers it.
    const body = {
      invitation: {
        id: row['id'],
        kind: row['kind'],
        email: row['email'],
        state: 'accepted',
        inviter,
        provider: null,
        delegatedRoles: row['delegated_roles'],
        delegatedAdminDays: row['delegated_admin_days'],
        createdAt: iso(row['created_at']),
        expiresAt: iso(row['expires_at']),
        acceptedAt: now.toISOString(),
      },
      partnership: null,
      relationships: [
        { id: row['relationship_id'], partner: inviter, customer, state: 'active', source: 'invitation', createdAt: iso(row['relationship_created_at']), removedAt: null },
      ],
      delegatedAdmin:
        row['grant_id'] === null
          ? []
          : [
              {
                id: row['grant_id'],
                partner: inviter,
                organization: customer,
                roles: row['roles'],
                state: 'active',
                startsAt: iso(row['starts_at']),
                endsAt: row['ends_at'] === null ? null : iso(row['ends_at']),
                revokedAt: null,
              },
            ],
    };
    return { status: 200, body };
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return { status: 409, body: { code: 'relationship_exists' } };
    throw error;
  }
}

// ---- orders.create: BEGIN, two statements, COMMIT (a refused credit check must roll the claim back).
// Statement 1 matches loadOrderFacts + the credit check: claims the Idempotency-Key (with the order id
// it will get, so the key is written once), locks the credit line and raises its running counter for
// the current period only if the order fits the limit (the app's own counter on the credit line,
// `exposure_period` and `exposure_amount`: one row locked and updated), and reads the relationship,
// partnership and SKU checks. Statement 2 matches writeOrder + the unit of work: the order, the subscription's growth (the
// same upsert), the line, the order.completed audit event and its outbox event.
const orderFactsText = `with sku as (
    select k.id, k.currency, k.monthly_price, k.min_quantity, k.max_quantity, k.monthly_price * $7::int as amount from skus k where k.id = $6
  ),
  claim as (
    insert into idempotency_keys (organization_id, key, request_hash, order_id, created_at) values ($1, $2, $3, $4, $5)
    on conflict do nothing returning 1
  ),
  credit as (
    update credit_terms c set exposure_amount = (case when c.exposure_period = $10 then c.exposure_amount else 0 end) + s.amount, exposure_period = $10
    from sku s
    where c.provider_organization_id = $8 and c.reseller_organization_id = $1 and c.currency = s.currency and exists (select 1 from claim)
      and (case when c.exposure_period = $10 then c.exposure_amount else 0 end) + s.amount <= c.limit_amount
    returning c.exposure_amount
  )
  select exists (select 1 from claim) as claimed, exists (select 1 from credit) as credit_ok,
    exists (select 1 from reseller_relationships r where r.partner_organization_id = $1 and r.customer_organization_id = $9 and r.state = 'active')
      and exists (select 1 from reseller_relationships r where r.partner_organization_id = $8 and r.customer_organization_id = $9 and r.state = 'active')
      and exists (select 1 from partnerships p where p.provider_organization_id = $8 and p.reseller_organization_id = $1 and p.state = 'active') as related,
    s.currency, s.monthly_price, s.min_quantity, s.max_quantity, s.amount,
    (select json_object_agg(o.id, json_build_object('id', o.id, 'name', o.name, 'domain', o.domain, 'country', o.country))
      from organizations o where o.id in ($1, $8, $9)) as organizations
  from sku s`;

const orderWriteText = `with placed as (
    insert into orders (id, organization_id, provider_organization_id, reseller_organization_id, placed_by_organization_id, placed_by_api_key_id, state, currency, total_amount, created_at)
    values ($1, $2, $3, $4, $4, $5, 'completed', $6, $7, $8)
  ),
  grown as (
    insert into subscriptions as s (id, organization_id, provider_organization_id, reseller_organization_id, sku_id, billing_cycle, quantity, status, version, created_at, updated_at)
    values ($9, $2, $3, $4, $10, 'monthly', $11, 'active', 1, $8, $8)
    on conflict (organization_id, provider_organization_id, coalesce(reseller_organization_id, '${zeroId}'::uuid), sku_id, billing_cycle)
    do update set quantity = s.quantity + excluded.quantity, version = s.version + 1, updated_at = excluded.updated_at
    returning s.id, s.quantity
  ),
  lined as (
    insert into order_lines (id, order_id, sku_id, quantity, billing_cycle, unit_price, amount, subscription_id)
    select $12, $1, $10, $11, 'monthly', $13, $7, g.id from grown g
  ),
  audited as (
    insert into audit_events (id, occurred_at, action, actor_api_key_id, actor_organization_id, actor_display_name, target_type, target_id, organization_ids, after, request_id)
    select $14, $8, 'order.completed', $5, $4, $15, 'order', $1, array[$2, $3, $4]::uuid[],
      jsonb_build_object('total', $7::int, 'currency', $6::text, 'lines', jsonb_build_array(jsonb_build_object('skuId', $10::uuid, 'quantity', $11::int, 'billingCycle', 'monthly', 'subscriptionId', g.id))),
      $16
    from grown g
    returning *
  ),
  outboxed as (
    insert into outbox_messages (id, kind, topic, ordering_key, payload, state, next_attempt_at, created_at)
    select $17, 'event', a.action, 'order:' || a.target_id, ${eventPayload('a', 'api_key')}, 'pending', '${parked}'::timestamptz, $8 from audited a
  )
  select g.id, g.quantity from grown g`;

export interface LimitOrderInput {
  resellerId: string;
  providerId: string;
  customerId: string;
  skuId: string;
  quantity: number;
  idempotencyKey: string;
  apiKeyId: string;
  requestId: string;
}

/** The first day of the month, UTC: the credit counter's period (the app's `periodStart`). */
const periodOf = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

export async function limitOrder(client: Client, input: LimitOrderInput): Promise<LimitAnswer> {
  const now = new Date();
  const orderId = uuidv7();
  const requestHash = hashToken(JSON.stringify({ customerId: input.customerId, input }));
  await client.query('begin');
  try {
    const [facts] = await run(client, 'limit_order_facts', orderFactsText, [
      input.resellerId, input.idempotencyKey, requestHash, orderId, now, input.skuId, input.quantity, input.providerId, input.customerId, periodOf(now),
    ]);
    const refuse = async (status: number, code: string): Promise<LimitAnswer> => {
      await client.query('rollback');
      return { status, body: { code } };
    };
    if (facts === undefined) return await refuse(400, 'validation_failed');
    if (facts['claimed'] !== true) return await refuse(409, 'idempotency_key_reused');
    if (facts['related'] !== true) return await refuse(404, 'not_found');
    if (facts['credit_ok'] !== true) return await refuse(422, 'credit_limit_exceeded');
    const [grown] = await run(client, 'limit_order_write', orderWriteText, [
      orderId, input.customerId, input.providerId, input.resellerId, input.apiKeyId, facts['currency'], facts['amount'], now,
      uuidv7(), input.skuId, input.quantity, uuidv7(), facts['monthly_price'], uuidv7(), 'bench limit', input.requestId, uuidv7(),
    ]);
    const quantity = Number(grown?.['quantity'] ?? 0);
    if (quantity < Number(facts['min_quantity']) || quantity > Number(facts['max_quantity'])) return await refuse(422, 'quantity_out_of_range');
    await client.query('commit');
    const organizations = facts['organizations'] as Record<string, unknown>;
    // The contract's Order, as the app answers it.
    const body = {
      id: orderId,
      customer: organizations[input.customerId],
      provider: organizations[input.providerId],
      reseller: organizations[input.resellerId],
      state: 'completed',
      currency: facts['currency'],
      totalAmount: facts['amount'],
      lines: [{ skuId: input.skuId, quantity: input.quantity, billingCycle: 'monthly', unitPrice: facts['monthly_price'], amount: facts['amount'], subscriptionId: grown?.['id'] }],
      createdAt: now.toISOString(),
    };
    return { status: 201, body };
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

// ---- subscriptions.patch: ONE statement, autocommit. Matches updateSubscription: the caller's active
// relationship with the customer, the subscription's party, the version (If-Match), the SKU's bounds
// and the seats assigned, the update, subscription.updated's audit event and outbox event, and the
// view the answer shows (organizations, SKU, product, seats).
const patchText = `with old as (
    select s.id, s.quantity, s.status, s.version, s.organization_id, s.provider_organization_id, s.reseller_organization_id, s.sku_id
    from subscriptions s
    where s.id = $1 and s.organization_id = $2 and (s.provider_organization_id = $3 or s.reseller_organization_id = $3)
      and exists (select 1 from reseller_relationships r where r.partner_organization_id = $3 and r.customer_organization_id = $2 and r.state = 'active')
    for update
  ),
  seats as (select count(*)::int as n from license_assignments la where la.subscription_id = $1),
  upd as (
    update subscriptions s set quantity = $5, version = s.version + 1, updated_at = $6
    from old, skus k, seats
    where s.id = old.id and old.version = $4 and k.id = old.sku_id and $5 between k.min_quantity and k.max_quantity and $5 >= seats.n
    returning s.id, s.quantity, s.status, s.version, s.billing_cycle, s.created_at, s.updated_at, s.sku_id, k.name as sku_name, k.product_id
  ),
  audited as (
    insert into audit_events (id, occurred_at, action, actor_api_key_id, actor_organization_id, actor_display_name, target_type, target_id, organization_ids, before, after, request_id)
    select $7, $6, 'subscription.updated', $8, $3, $9, 'subscription', upd.id,
      array_remove(array[old.organization_id, old.provider_organization_id, old.reseller_organization_id], null),
      jsonb_build_object('quantity', old.quantity, 'status', old.status), jsonb_build_object('quantity', upd.quantity, 'status', upd.status), $10
    from upd, old
    returning *
  ),
  outboxed as (
    insert into outbox_messages (id, kind, topic, ordering_key, payload, state, next_attempt_at, created_at)
    select $11, 'event', a.action, 'subscription:' || a.target_id, ${eventPayload('a', 'api_key')}, 'pending', '${parked}'::timestamptz, $6 from audited a
  )
  select upd.id, upd.quantity, upd.status, upd.version, upd.billing_cycle, upd.created_at, upd.updated_at, upd.sku_id, upd.sku_name, p.name as product_name, seats.n as assigned,
    json_build_object('id', c.id, 'name', c.name, 'domain', c.domain, 'country', c.country) as customer,
    json_build_object('id', pr.id, 'name', pr.name, 'domain', pr.domain, 'country', pr.country) as provider,
    case when rs.id is null then null else json_build_object('id', rs.id, 'name', rs.name, 'domain', rs.domain, 'country', rs.country) end as reseller
  from upd cross join old cross join seats join products p on p.id = upd.product_id
    join organizations c on c.id = old.organization_id join organizations pr on pr.id = old.provider_organization_id
    left join organizations rs on rs.id = old.reseller_organization_id`;

const currentVersionText = 'select version, quantity from subscriptions where id = $1 and organization_id = $2';

export async function limitPatch(
  client: Client,
  input: { partnerId: string; customerId: string; subscriptionId: string; version: number; quantity: number; apiKeyId: string; requestId: string },
): Promise<LimitAnswer> {
  const now = new Date();
  const [row] = await run(client, 'limit_patch', patchText, [
    input.subscriptionId, input.customerId, input.partnerId, input.version, input.quantity, now, uuidv7(), input.apiKeyId, 'bench limit', input.requestId, uuidv7(),
  ]);
  if (row !== undefined) {
    // The contract's Subscription, as the app answers it (its ETag is the version).
    const body = {
      id: row['id'],
      customer: row['customer'],
      provider: row['provider'],
      reseller: row['reseller'],
      skuId: row['sku_id'],
      skuName: row['sku_name'],
      productName: row['product_name'],
      billingCycle: row['billing_cycle'],
      quantity: row['quantity'],
      assignedLicenses: row['assigned'],
      status: row['status'],
      etag: `"${String(row['version'])}"`,
      createdAt: iso(row['created_at']),
      updatedAt: iso(row['updated_at']),
    };
    return { status: 200, body };
  }
  // Off the hot path: why nothing was written (a careful engineer's 412 carries the current version).
  const [current] = await run(client, 'limit_patch_current', currentVersionText, [input.subscriptionId, input.customerId]);
  return current === undefined ? { status: 404, body: { code: 'not_found' } } : { status: 412, body: { code: 'precondition_failed', ...current } };
}

/** Deletes the limit's parked outbox rows, so that nothing of the bench waits for the relay afterwards. */
export async function cleanUpLimit(client: Client): Promise<number> {
  return (await client.query(`delete from outbox_messages where state = 'pending' and next_attempt_at = '${parked}'`)).rowCount ?? 0;
}

/** The statements by name, for reading their generic plans (`EXPLAIN EXECUTE` under force_generic_plan). */
export const limitStatements = { limit_list: listText, limit_get: getText, limit_accept: acceptText, limit_order_facts: orderFactsText, limit_order_write: orderWriteText, limit_patch: patchText };
