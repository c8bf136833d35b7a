import { randomUUID } from 'node:crypto';
import { defaultDelegatedRoles } from '@tierlink/contract';
import { sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { openCopyTarget } from '../scale/load.ts';
import type { Dataset } from '../scale/datasets.ts';
import { isScaleProfileName, scaleProfiles } from '../scale/profiles.ts';
import { idOf, idRange, scaleCatalog, ScaleWorld } from '../scale/world.ts';
import { createApiKey } from '../../src/modules/identity/create-api-key.ts';
import { loadUserActor } from '../../src/modules/identity/index.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { encodeSortCursor } from '../../src/platform/sorted-keyset.ts';
import { hashPassword } from '../../src/platform/passwords.ts';
import { createSealer } from '../../src/platform/seal.ts';
import { hashToken, newToken } from '../../src/platform/tokens.ts';
import { runInTransaction } from '../../src/platform/unit-of-work.ts';

export type DatabaseTarget = { databaseUrl: string } | { dataDir: string };

export interface ResellerActor {
  index: number;
  id: string;
  apiKey: string;
  customers: number;
}

export interface Patch {
  apiKey: string;
  resellerId: string;
  customerId: string;
  subscriptionId: string;
  version: number;
  quantity: number;
  base: number;
}

export interface Invitation {
  id: string;
  token: string;
  /** The signed-in invitee's session cookie (the limit baseline sends its secret too). */
  cookie: string;
}

export interface LimitInputs {
  patches: Patch[];
  invitations: Invitation[];
  /** Its own third of the joint customers to order for (see `BenchFixtures.orders`). */
  orders: BenchFixtures['orders'];
}

export interface BenchFixtures {
  profile: string;
  /** Row counts of the main tables before the run's own inputs were added. */
  data: Record<string, number>;
  asOf: Date;
  /** `deepAfter`: the deep page's keyset (sort name, id) for the limit baseline's own statement. */
  large: ResellerActor & { deepCursor: string; deepOffset: number; deepAfter: { name: string; id: string } };
  small: ResellerActor;
  /** Customers of the large reseller for customers.get. */
  customerIds: string[];
  /** The app's third of the busy resellers' joint customers, resellers in turn (the limit's drivers have the other two). */
  orders: { apiKey: string; resellerId: string; customerId: string; providerId: string }[];
  orderSkuId: string;
  patches: Patch[];
  invitations: Invitation[];
  /**
   * The limit baseline's own inputs, apart from the app's (a write consumes its invitation or moves
   * its subscription's version): one set for its straight `pg` loop, one for its Fastify route.
   */
  limit: { pg: LimitInputs; http: LimitInputs };
  /** The home dashboards' callers: the largest provider and reseller, a customer admin, the operator (API keys). */
  dashboards: {
    provider: { id: string; apiKey: string; resellers: number; customers: number };
    reseller: { id: string; apiKey: string; customers: number };
    customer: { id: string; apiKey: string };
    operator: { apiKey: string };
  };
}

const countedTables = [
  'organizations', 'users', 'partner_profiles', 'partnerships', 'reseller_relationships', 'delegated_admin_grants',
  'invitations', 'subscriptions', 'orders', 'order_lines', 'audit_events',
];

/** Resellers whose API keys place orders and change subscriptions: many tenants at once, as in production. */
const busyResellers = 16;

function rows<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/**
 * Everything the scenarios need, made before the app starts (PGlite has one connection): API keys
 * through the real use case, a deep-page cursor, subscriptions with their versions, and `invitations`
 * pending invitations whose invitees are signed in (bulk-loaded, one per accept request).
 */
export async function prepareFixtures(target: DatabaseTarget, invitationCount: number): Promise<BenchFixtures> {
  const handle = await openDatabase('databaseUrl' in target ? { engine: 'postgres', url: target.databaseUrl, poolSize: 2 } : { engine: 'pglite', dataDir: target.dataDir });
  let fixtures: Omit<BenchFixtures, 'invitations' | 'limit'> & { limitPatches: Patch[][]; limitOrders: BenchFixtures['orders'][] };
  try {
    fixtures = await prepareReads(handle);
  } finally {
    await handle.close();
  }
  const world = new ScaleWorld(scaleProfiles[fixtures.profile as keyof typeof scaleProfiles], fixtures.asOf);
  // The app's invitations, then the limit baseline's two sets (PostgreSQL only: PGlite has no limit run).
  const sets = 'databaseUrl' in target ? 3 : 1;
  const all = await loadInvitations(target, world, invitationCount * sets);
  const invitations = all.slice(0, invitationCount);
  const { limitPatches, limitOrders, ...rest } = fixtures;
  return {
    ...rest,
    invitations,
    limit: {
      pg: { patches: limitPatches[0] ?? [], invitations: all.slice(invitationCount, 2 * invitationCount), orders: limitOrders[0] ?? [] },
      http: { patches: limitPatches[1] ?? [], invitations: all.slice(2 * invitationCount), orders: limitOrders[1] ?? [] },
    },
  };
}

async function prepareReads(handle: DatabaseHandle): Promise<Omit<BenchFixtures, 'invitations' | 'limit'> & { limitPatches: Patch[][]; limitOrders: BenchFixtures['orders'][] }> {
  const db = handle.db;
  const [meta] = rows<{ profile: string; as_of: string | Date }>(await db.execute(sql`select profile, as_of from scale_seed_meta limit 1`));
  if (meta === undefined || !isScaleProfileName(meta.profile)) throw new Error('This database was not seeded by `npm run seed:scale`.');
  const world = new ScaleWorld(scaleProfiles[meta.profile], new Date(meta.as_of));
  const resellers = world.profile.resellers;
  const uow = { db, clock: systemClock, sealer: createSealer(Buffer.alloc(32)), publicUrl: 'http://127.0.0.1' };

  const keyFor = async (r: number): Promise<string> => {
    const actor = await loadUserActor(db, idOf('user:reseller', r));
    if (actor === null) throw new Error(`reseller ${r} has no active admin`);
    const created = await runInTransaction(uow, actor, 'bench', (ctx) => createApiKey({ ...ctx, actor }, { name: `bench ${new Date().toISOString()}`, roles: ['admin_agent'] }));
    return created.secret;
  };
  const busy = Array.from({ length: Math.min(busyResellers, resellers) }, (_, r) => r);
  // The largest reseller's month-to-date orders in the generated history nearly use up the largest
  // credit line an int4 amount holds, so orders go through the next ones.
  const ordering = busy.map((r) => (resellers > busyResellers ? r + 1 : r));
  const keys = new Map<number, string>();
  for (const r of new Set([...busy, ...ordering, resellers - 1])) keys.set(r, await keyFor(r));
  const actorOf = (r: number): ResellerActor => ({ index: r, id: world.resellerIds[r] ?? '', apiKey: keys.get(r) ?? '', customers: world.customersOfReseller[r] ?? 0 });
  const dashboards = await dashboardCallers(uow, world);

  // A page 90% of the way into the largest reseller's list, as a client paging through it would reach.
  const large = actorOf(0);
  const deepOffset = Math.floor(large.customers * 0.9);
  const [deep] = rows<{ k: string; id: string }>(
    await db.execute(sql`select lower(o.name) as k, o.id from reseller_relationships rr join organizations o on o.id = rr.customer_organization_id
      where rr.partner_organization_id = ${large.id} and rr.state = 'active' order by lower(o.name), o.id offset ${deepOffset} limit 1`),
  );
  if (deep === undefined) throw new Error('the largest reseller has too few customers');

  const first = world.firstCustomerOfReseller[0] ?? 0;
  const customerIds = Array.from({ length: Math.min(5000, large.customers) }, (_, i) => world.customerIds[first + Math.floor((i * large.customers) / Math.min(5000, large.customers))] ?? '');

  // Orders go round-robin over busy resellers' joint customers, through each one's primary provider.
  const perReseller = ordering.map((r) => {
    const start = world.firstCustomerOfReseller[r] ?? 0;
    const list: BenchFixtures['orders'] = [];
    for (let c = start; c < start + (world.customersOfReseller[r] ?? 0) && list.length < 2000; c += 1) {
      if (world.isJoint(c)) list.push({ apiKey: keys.get(r) ?? '', resellerId: world.resellerIds[r] ?? '', customerId: world.customerIds[c] ?? '', providerId: world.providerIds[world.primaryProviderOf(r)] ?? '' });
    }
    return list;
  });
  const allOrders: BenchFixtures['orders'] = [];
  for (let i = 0; allOrders.length < perReseller.reduce((n, l) => n + l.length, 0); i += 1) {
    for (const list of perReseller) {
      const item = list[i];
      if (item !== undefined) allOrders.push(item);
    }
  }
  // The app and the limit's two drivers order for disjoint thirds, as they patch disjoint thirds:
  // a customer's pages are read from disk and written whole to the WAL (after a checkpoint) by
  // whoever reaches them first, and a run must not ride on another's.
  const orders = allOrders.filter((_, i) => i % 3 === 0);
  const limitOrders = [1, 2].map((k) => allOrders.filter((_, i) => i % 3 === k));

  // Patches change a different line (SKU 1, annual) than orders grow (SKU 0, monthly), so the two never race.
  const skuIds = idRange('sku', 0, scaleCatalog.length);
  const patchRows = rows<{ id: string; organization_id: string; reseller_organization_id: string; version: number; quantity: number }>(
    await db.execute(sql`select id, organization_id, reseller_organization_id, version, quantity from subscriptions
      where sku_id = ${skuIds[1] ?? ''} and billing_cycle = 'annual' and reseller_organization_id in (${sql.join(busy.map((r) => sql`${world.resellerIds[r] ?? ''}`), sql`, `)})
      order by id limit 60000`),
  );
  const keyByResellerId = new Map(busy.map((r) => [world.resellerIds[r] ?? '', keys.get(r) ?? '']));
  // Every third to the app, the others to the limit baseline's two drivers: each set's versions are its own.
  const allPatches: Patch[] = patchRows.map((row) => ({
    apiKey: keyByResellerId.get(row.reseller_organization_id) ?? '',
    resellerId: row.reseller_organization_id,
    customerId: row.organization_id,
    subscriptionId: row.id,
    version: row.version,
    quantity: row.quantity,
    base: row.quantity,
  }));
  const patches = allPatches.filter((_, i) => i % 3 === 0);
  const limitPatches = [1, 2].map((k) => allPatches.filter((_, i) => i % 3 === k));

  const data: Record<string, number> = {};
  for (const table of countedTables) {
    const [row] = rows<{ n: string }>(await db.execute(sql`select count(*)::text as n from ${sql.identifier(table)}`));
    data[table] = Number(row?.n ?? 0);
  }

  return {
    profile: world.profile.name,
    data,
    asOf: world.asOf,
    // The list's default sort (name, ascending), as its cursors name it.
    large: { ...large, deepCursor: encodeSortCursor('name', 'asc', [deep.k], deep.id), deepOffset, deepAfter: { name: deep.k, id: deep.id } },
    small: actorOf(resellers - 1),
    customerIds,
    orders,
    orderSkuId: skuIds[0] ?? '',
    patches,
    limitPatches,
    limitOrders,
    dashboards,
  };
}

/**
 * API keys of the home dashboards' callers, through the real use case: the provider with the most
 * customers (its primary resellers' joint customers plus its own), the largest reseller, the first
 * joint customer of the largest reseller that signed up from an invitation (it has an admin), and
 * the operator. Keys are global admins: every section of each dashboard is computed.
 */
async function dashboardCallers(uow: Parameters<typeof runInTransaction>[0], world: ScaleWorld): Promise<BenchFixtures['dashboards']> {
  const keyOf = async (userId: string, label: string): Promise<string> => {
    const actor = await loadUserActor(uow.db, userId);
    if (actor === null) throw new Error(`the ${label} has no active admin`);
    const created = await runInTransaction(uow, actor, 'bench', (ctx) => createApiKey({ ...ctx, actor }, { name: `bench dashboard ${new Date().toISOString()}`, roles: ['global_admin'] }));
    return created.secret;
  };
  const { providers, resellers } = world.profile;
  const customersOfProvider = new Array<number>(providers).fill(0);
  const resellersOfProvider = new Array<number>(providers).fill(0);
  for (let r = 0; r < resellers; r += 1) {
    for (const p of world.providersOfReseller(r)) resellersOfProvider[p] = (resellersOfProvider[p] ?? 0) + 1;
    const p = world.primaryProviderOf(r);
    customersOfProvider[p] = (customersOfProvider[p] ?? 0) + Math.ceil((world.customersOfReseller[r] ?? 0) / world.profile.jointEvery);
  }
  const provider = customersOfProvider.indexOf(Math.max(...customersOfProvider));
  const first = world.firstCustomerOfReseller[0] ?? 0;
  let customer = first;
  while (!(world.isJoint(customer) && world.isInvited(customer))) customer += 1;
  return {
    provider: {
      id: world.providerIds[provider] ?? '',
      apiKey: await keyOf(idOf('user:provider', provider), 'largest provider'),
      resellers: resellersOfProvider[provider] ?? 0,
      customers: customersOfProvider[provider] ?? 0,
    },
    reseller: { id: world.resellerIds[0] ?? '', apiKey: await keyOf(idOf('user:reseller', 0), 'largest reseller'), customers: world.customersOfReseller[0] ?? 0 },
    customer: { id: world.customerIds[customer] ?? '', apiKey: await keyOf(idRange('user:customer', customer, 1)[0] ?? '', 'customer') },
    operator: { apiKey: await keyOf(idOf('user:operator', 0), 'operator') },
  };
}

/**
 * Pending invitations from many resellers, each to a customer admin who already has an
 * organization and a live session, so that every accept request is a first, valid acceptance.
 * Loaded with COPY like the world itself; the rows are what sign-up and sign-in would write.
 */
async function loadInvitations(target: DatabaseTarget, world: ScaleWorld, count: number): Promise<Invitation[]> {
  const now = new Date();
  const run = randomUUID().slice(0, 8);
  const passwordHash = await hashPassword(newToken(12));
  const senders = Math.min(64, world.profile.resellers);
  const items = Array.from({ length: count }, (_, i) => ({
    i,
    orgId: randomUUID(),
    userId: randomUUID(),
    invitationId: randomUUID(),
    token: newToken(32),
    session: newToken(32),
    domain: `bench-${run}-${i}.customer.example`,
    reseller: i % senders,
  }));
  const table = (name: string, columns: string[], line: (item: (typeof items)[number]) => string[]): { dataset: Dataset; text: string } => ({
    dataset: { name: `bench.${name}.${run}`, table: name, columns, size: count, chunk: count, estimatedRows: count, generate: () => ({ text: '', rows: 0 }) },
    text: items.map((item) => line(item).join('\t')).join('\n') + '\n',
  });
  const iso = (d: Date) => d.toISOString();
  const later = (ms: number) => iso(new Date(now.getTime() + ms));
  const tables = [
    table('organizations', ['id', 'name', 'domain', 'country', 'kind', 'created_at'], (x) => [x.orgId, `Bench Customer ${run} ${x.i}`, x.domain, 'US', 'customer', iso(now)]),
    table('users', ['id', 'organization_id', 'email', 'display_name', 'password_hash', 'roles', 'status', 'must_change_password', 'created_at'], (x) => [
      x.userId, x.orgId, `admin@${x.domain}`, `Bench Customer ${x.i} admin`, passwordHash, '{global_admin}', 'active', 'f', iso(now),
    ]),
    table('sessions', ['id', 'user_id', 'organization_id', 'created_at', 'last_seen_at', 'expires_at'], (x) => [hashToken(x.session), x.userId, x.orgId, iso(now), iso(now), later(12 * 3_600_000)]),
    table('invitations', ['id', 'organization_id', 'kind', 'email', 'token_hash', 'delegated_roles', 'state', 'invited_by_user_id', 'created_at', 'expires_at'], (x) => [
      x.invitationId, world.resellerIds[x.reseller] ?? '', 'reseller_relationship', `admin@${x.domain}`, hashToken(x.token), `{${defaultDelegatedRoles.join(',')}}`, 'pending',
      idRange('user:reseller', x.reseller, 1)[0] ?? '', iso(now), later(7 * 86_400_000),
    ]),
  ];
  const copy = await openCopyTarget('databaseUrl' in target ? { databaseUrl: target.databaseUrl, connections: 1 } : { dataDir: target.dataDir });
  try {
    await copy.query('create table if not exists scale_seed_chunks (dataset text not null, chunk integer not null, rows integer not null, loaded_at timestamptz not null default now(), primary key (dataset, chunk))');
    for (const { dataset, text } of tables) await copy.loadChunk(dataset, 0, text, count);
    await copy.query('analyze sessions');
    await copy.query('analyze invitations');
  } finally {
    await copy.close();
  }
  return items.map((x) => ({ id: x.invitationId, token: x.token, cookie: `tierlink_session=${x.session}` }));
}
