import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { delegatedRoles, type DelegatedRole } from '@tierlink/contract';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/database.ts';
import { listGrantViews, presentGrant } from './index.ts';

// Migration 0016 over a database with grants in every state of the seed: each becomes a relationship
// with the same roles, start, end and state (revoked → terminated, shown to the grant endpoints as
// revoked), and no partner gains or loses access at any moment.

const migrations = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const day = 24 * 60 * 60 * 1000;

/** The migrations folder up to (not including) `tag`. */
function folderBefore(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tierlink-migrations-'));
  cpSync(migrations, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag}`);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return dir;
}

interface OldGrant {
  id: string;
  partner: string;
  organization: string;
  roles: DelegatedRole[];
  state: 'active' | 'revoked' | 'expired';
  startsAt: Date;
  endsAt: Date | null;
  origin: 'partnership' | 'reseller_relationship';
  originId: string;
  invitationId: string;
}

describe('migration 0016: grants become relationships', () => {
  const admin = process.env['TEST_POSTGRES_URL'] ?? '';
  const name = `t_${randomBytes(6).toString('hex')}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let handle: DatabaseHandle | null = null;
  let folder: string | null = null;

  afterAll(async () => {
    await handle?.close();
    if (folder !== null) rmSync(folder, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });

  it('keeps every grant\'s roles, start, end and state, and every partner\'s access at every moment', async () => {
    const setup = new pg.Client({ connectionString: admin });
    await setup.connect();
    await setup.query(`CREATE DATABASE ${name}`);
    await setup.end();

    folder = folderBefore('0016_delegated_admin_relationships');
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await migrate(drizzle(client), { migrationsFolder: folder });

    const now = new Date('2026-06-01T00:00:00Z');
    const org = async (label: string, kind: 'partner' | 'customer') => {
      const id = randomUUID();
      await client.query('insert into organizations (id, name, domain, country, kind, created_at) values ($1, $2, $3, $4, $5, $6)', [
        id,
        label,
        `${label.toLowerCase()}.test`,
        'US',
        kind,
        now,
      ]);
      return id;
    };
    const provider = await org('Provider', 'partner');
    const reseller = await org('Reseller', 'partner');
    const customers = [await org('Alpha', 'customer'), await org('Beta', 'customer'), await org('Gamma', 'customer')];

    const grants: OldGrant[] = [];
    const partnershipInvitation = randomUUID();
    const partnership = randomUUID();
    await client.query(
      'insert into partnerships (id, provider_organization_id, reseller_organization_id, state, invitation_id, created_at) values ($1, $2, $3, $4, $5, $6)',
      [partnership, provider, reseller, 'active', partnershipInvitation, new Date(now.getTime() - 100 * day)],
    );
    grants.push({ id: randomUUID(), partner: provider, organization: reseller, roles: [...delegatedRoles], state: 'active', startsAt: new Date(now.getTime() - 100 * day), endsAt: null, origin: 'partnership', originId: partnership, invitationId: partnershipInvitation });

    // Every state of the seed, with and without an end, for both partners in each customer.
    const shapes: { state: OldGrant['state']; start: number; end: number | null; roles: DelegatedRole[] }[] = [
      { state: 'active', start: -10, end: null, roles: ['user_admin', 'license_admin', 'helpdesk'] },
      { state: 'active', start: -10, end: 20, roles: ['user_admin'] },
      { state: 'active', start: -40, end: -1, roles: ['helpdesk'] }, // past its end, not swept yet
      { state: 'revoked', start: -30, end: 60, roles: ['license_admin'] },
      { state: 'expired', start: -90, end: -30, roles: ['user_admin', 'helpdesk'] },
    ];
    for (const [i, customer] of customers.entries()) {
      for (const partner of [reseller, provider]) {
        const relationship = randomUUID();
        const invitation = randomUUID();
        await client.query(
          `insert into reseller_relationships (id, partner_organization_id, customer_organization_id, state, source, invitation_id, customer_sort_name, customer_domain, customer_country, created_at)
           values ($1, $2, $3, 'active', 'invitation', $4, $5, $6, 'US', $7)`,
          [relationship, partner, customer, invitation, `c${i}`, `c${i}-${partner}.test`, now],
        );
        for (const shape of shapes.slice(i, i + 3)) {
          grants.push({
            id: randomUUID(),
            partner,
            organization: customer,
            roles: shape.roles,
            state: shape.state,
            startsAt: new Date(now.getTime() + shape.start * day),
            endsAt: shape.end === null ? null : new Date(now.getTime() + shape.end * day),
            origin: 'reseller_relationship',
            originId: relationship,
            invitationId: invitation,
          });
        }
      }
    }
    for (const g of grants) {
      await client.query(
        `insert into delegated_admin_grants (id, organization_id, partner_organization_id, roles, state, starts_at, ends_at, revoked_at, revoked_by_organization_id, origin_type, origin_id, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $6)`,
        [g.id, g.organization, g.partner, g.roles, g.state, g.startsAt, g.endsAt, g.state === 'revoked' ? now : null, g.state === 'revoked' ? g.organization : null, g.origin, g.originId],
      );
    }

    // Access before: the seed's live condition, read at several moments.
    const moments = [now, new Date(now.getTime() + 19 * day), new Date(now.getTime() + 21 * day), new Date(now.getTime() + 400 * day)];
    const pairs = [...new Set(grants.map((g) => `${g.partner}|${g.organization}`))].map((p) => p.split('|') as [string, string]);
    const accessBefore: string[] = [];
    for (const at of moments) {
      for (const [partner, organization] of pairs) {
        const live = await client.query<{ id: string; roles: string[] }>(
          `select id, roles from delegated_admin_grants where partner_organization_id = $1 and organization_id = $2
             and state = 'active' and (ends_at is null or ends_at > $3) order by created_at, id`,
          [partner, organization, at],
        );
        for (const role of delegatedRoles) {
          const through = live.rows.find((r) => r.roles.includes(role));
          accessBefore.push(`${at.toISOString()} ${partner} ${organization} ${role} ${through?.id ?? '-'}`);
        }
      }
    }
    await client.end();

    // The app migrates the rest at start, as it would in production.
    handle = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 2 });
    const db = handle.db;
    const accessAfter: string[] = [];
    for (const at of moments) {
      for (const [partner, organization] of pairs) {
        const live = await listGrantViews(db, { partnerOrganizationId: partner, organizationId: organization, liveAt: at });
        for (const role of delegatedRoles) {
          const through = live.find((v) => v.grant.roles.includes(role));
          accessAfter.push(`${at.toISOString()} ${partner} ${organization} ${role} ${through?.grant.id ?? '-'}`);
        }
      }
    }
    expect(accessAfter).toEqual(accessBefore);
    expect(accessBefore.some((a) => !a.endsWith(' -'))).toBe(true);

    // Each grant: same roles, start, end; state mapped; duration and invitation filled in.
    const views = await listGrantViews(db, { ids: grants.map((g) => g.id) });
    expect(views).toHaveLength(grants.length);
    for (const g of grants) {
      const view = views.find((v) => v.grant.id === g.id);
      const row = view?.grant;
      expect(row?.roles).toEqual(g.roles);
      expect(row?.startsAt?.toISOString()).toBe(g.startsAt.toISOString());
      expect(row?.endsAt?.toISOString() ?? null).toBe(g.endsAt?.toISOString() ?? null);
      expect(row?.state).toBe(g.state === 'revoked' ? 'terminated' : g.state);
      expect(row?.invitationId).toBe(g.invitationId);
      expect(row?.autoExtendDuration).toBe('P0D');
      expect(row?.duration).toBe(g.endsAt === null ? null : `P${Math.round((g.endsAt.getTime() - g.startsAt.getTime()) / day)}D`);
      // The grant endpoints answer exactly what they answered before.
      if (view === undefined) throw new Error('missing view');
      const effective = g.state === 'active' && g.endsAt !== null && g.endsAt <= now ? 'expired' : g.state;
      expect(presentGrant(view, now).state).toBe(effective);
    }
  });
});
