import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, configHome, json, loginAll, run, start, until, type Result } from './harness.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Customer {
  id: string;
  name: string;
}
interface Partner {
  organization: { id: string; name: string };
}
interface Subscription {
  id: string;
  quantity: number;
  etag: string;
}
interface Order {
  id: string;
  state: string;
  lines: { subscriptionId: string; quantity: number }[];
}

/** The problem's code on stderr, its request id, exit 1. */
function expectProblem(result: Result, code: string): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`error: ${code}`);
  expect(result.stderr).toMatch(/request id: [0-9a-f-]{36}/);
}

describe('tierlink commands against the demo data (reseller Alder IT Services unless named)', () => {
  const xdg = configHome();
  const env = cliEnv(xdg);
  const tl = (...args: string[]) => run(args, env);
  let delta: Customer;
  let meridian: Partner;
  let sku = '';

  beforeAll(async () => {
    await loginAll(xdg);
    const customers = json<Page<Customer>>(await tl('customers', 'list', '--json'));
    const found = customers.items.find((c) => c.name === 'Delta Dental Group');
    if (found === undefined) throw new Error('demo customer missing');
    delta = found;
    const providers = json<Page<Partner>>(await tl('providers', 'list', '--json'));
    const provider = providers.items.find((p) => p.organization.name === 'Meridian Distribution');
    if (provider === undefined) throw new Error('demo provider missing');
    meridian = provider;
    const catalog = json<{ items: { skus: { id: string; name: string }[] }[] }>(await tl('catalog', 'list', '--json'));
    sku = catalog.items.flatMap((p) => p.skus).find((s) => s.name === 'Nimbus Workplace Premium')?.id ?? '';
  });
  afterAll(() => rmSync(xdg, { recursive: true, force: true }));

  it('customers list: an aligned table, --json, --csv, --name, one page by default and --all following nextCursor', async () => {
    const table = await tl('customers', 'list');
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+DOMAIN\s+COUNTRY\s+RELATIONSHIP/);
    expect(rows.some((r) => r.includes('Delta Dental Group') && r.includes('delta-dental.example'))).toBe(true);
    // Aligned: every row's second column starts where the header's does.
    const nameColumn = header?.indexOf('NAME') ?? -1;
    for (const row of rows) expect(row[nameColumn - 1]).toBe(' ');

    const byName = json<Page<Customer>>(await tl('customers', 'list', '--name', 'delta', '--json'));
    expect(byName.items.map((c) => c.name)).toEqual(['Delta Dental Group']);
    const csv = await tl('customers', 'list', '--csv', '--name', 'Echo');
    expect(csv.stdout.split('\n')[0]).toBe('id,name,domain,country,relationship,delegated admin,since');
    expect(csv.stdout).toContain(',Echo Legal,echo-legal.example,US,');

    const first = await tl('customers', 'list', '--limit', '1', '--json');
    const page = json<Page<Customer>>(first);
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const human = await tl('customers', 'list', '--limit', '1');
    expect(human.stderr).toContain('More customers: add --all, or --cursor');
    const all = json<Page<Customer>>(await tl('customers', 'list', '--limit', '1', '--all', '--json'));
    expect(all.nextCursor).toBeNull();
    expect(all.items.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all.items.map((c) => c.id)).size).toBe(all.items.length);
  });

  it('customers get: fields and grants, --json; a bad id and an unknown id print the problem and exit 1', async () => {
    const human = await tl('customers', 'get', delta.id);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Name:\s+Delta Dental Group/);
    expect(human.stdout).toContain('Delegated admin grants:');
    expect(json<Customer>(await tl('customers', 'get', delta.id, '--json')).id).toBe(delta.id);
    const bad = await tl('customers', 'get', 'not-a-uuid');
    expectProblem(bad, 'validation_failed');
    expect(bad.stderr).toContain('Invalid UUID');
    expectProblem(await tl('customers', 'get', '00000000-0000-4000-8000-000000000000'), 'not_found');
    expectProblem(await tl('customers', 'list', '--profile', 'operator'), 'forbidden');
  });

  it('delegated-admin: request drafts and sends for approval (the approval link), list --state, pending; a partner cannot approve; refusals print the problem', async () => {
    const name = `CLI helpdesk ${Date.now()}`;
    const requested = await tl('delegated-admin', 'request', '--customer', delta.id, '--name', name, '--role', 'helpdesk', 'license_admin', '--duration', 'P30D');
    expect(requested.code).toBe(0);
    expect(requested.stdout).toMatch(new RegExp(`${name}: waiting for Delta Dental Group's approval at http\\S+/delegated-admin/[0-9a-f-]{36}`));
    const listed = json<Page<{ id: string; displayName: string; roles: string[]; state: string }>>(await tl('delegated-admin', 'list', '--state', 'approval_pending', '--json'));
    const mine = listed.items.find((r) => r.displayName === name);
    expect([mine?.roles, mine?.state]).toEqual([['helpdesk', 'license_admin'], 'approval_pending']);
    expect((await tl('delegated-admin', 'list')).stdout).toContain(name);
    expect((await tl('delegated-admin', 'pending')).stderr).toContain('Nothing waits for your organization.');
    expectProblem(await tl('delegated-admin', 'approve', mine?.id ?? ''), 'forbidden');
    expectProblem(await tl('delegated-admin', 'terminate', mine?.id ?? ''), 'relationship_transition_invalid');
    expectProblem(await tl('delegated-admin', 'request', '--customer', delta.id, '--name', name, '--role', 'helpdesk', '--duration', 'P30D'), 'display_name_taken');
    expectProblem(await tl('delegated-admin', 'request', '--customer', delta.id, '--name', `${name} 2`, '--role', 'user_admin', '--duration', 'P30D', '--auto-extend'), 'auto_extend_not_allowed');
    expectProblem(await tl('delegated-admin', 'request', '--customer', delta.id, '--name', `${name} 3`, '--role', 'helpdesk', '--duration', 'P2Y'), 'validation_failed');
  });

  it('providers list (reseller) and resellers list (provider), in both modes', async () => {
    const providers = await tl('providers', 'list');
    expect(providers.stdout).toMatch(/Meridian Distribution\s+meridian-distribution.example\s+US\s+active/);
    const resellers = await tl('resellers', 'list', '--profile', 'provider');
    expect(resellers.code).toBe(0);
    expect(resellers.stdout).toContain('Alder IT Services');
    const names = json<Page<Partner>>(await tl('resellers', 'list', '--profile', 'provider', '--json')).items.map((r) => r.organization.name);
    expect(names).toEqual(expect.arrayContaining(['Alder IT Services', 'Cedar Networks']));
  });

  it('invitations: create customer (joint) and reseller print the draft and the link; list --state; revoke', async () => {
    const customer = await tl('invitations', 'create', 'customer', '--email', 'owner@cli-newco.example', '--provider', meridian.organization.id);
    expect(customer.code).toBe(0);
    expect(customer.stdout).toContain('Subject: ');
    expect(customer.stdout).toMatch(/Link: http:\/\/127\.0\.0\.1:\d+\/invitations\/[0-9a-f-]{36}\?token=/);
    const created = json<{ invitation: { id: string; state: string }; email: { link: string } }>(
      await tl('invitations', 'create', 'customer', '--email', 'second@cli-newco.example', '--json'),
    );
    expect(created.invitation.state).toBe('pending');
    expect(created.email.link).toContain(created.invitation.id);

    const reseller = await tl('invitations', 'create', 'reseller', '--email', 'admin@cli-reseller.example', '--profile', 'provider', '--message', 'Welcome aboard');
    expect(reseller.code).toBe(0);
    expect(reseller.stdout).toContain('Welcome aboard');
    expect(reseller.stdout).toContain('Link: ');
    const resellerJson = json<{ invitation: { id: string; kind: string; email: string } }>(
      await tl('invitations', 'create', 'reseller', '--email', 'admin@cli-reseller2.example', '--profile', 'provider', '--json'),
    );
    expect(resellerJson.invitation).toMatchObject({ kind: 'partnership', email: 'admin@cli-reseller2.example' });
    const revokedJson = json<{ id: string; state: string }>(await tl('invitations', 'revoke', resellerJson.invitation.id, '--profile', 'provider', '--json'));
    expect(revokedJson).toMatchObject({ id: resellerJson.invitation.id, state: 'revoked' });
    expectProblem(await tl('invitations', 'create', 'customer', '--email', 'not-an-email'), 'validation_failed');

    const pending = await tl('invitations', 'list', '--state', 'pending');
    expect(pending.stdout).toMatch(/second@cli-newco\.example\s+pending/);
    const listed = json<Page<{ id: string; state: string }>>(await tl('invitations', 'list', '--state', 'pending', '--json'));
    expect(listed.items.map((i) => i.id)).toContain(created.invitation.id);

    const revoked = await tl('invitations', 'revoke', created.invitation.id);
    expect([revoked.code, revoked.stdout]).toEqual([0, expect.stringContaining('is revoked')]);
    expectProblem(await tl('invitations', 'revoke', created.invitation.id), 'invitation_not_pending');
    const revokedList = json<Page<{ id: string }>>(await tl('invitations', 'list', '--state', 'revoked', '--json'));
    expect(revokedList.items.map((i) => i.id)).toContain(created.invitation.id);
  });

  it('orders create: a generated Idempotency-Key is printed and replays the same order; --json; a refusal exits 1', async () => {
    const placed = await tl('orders', 'create', '--customer', delta.id, '--sku', sku, '--quantity', '2', '--provider', meridian.organization.id);
    expect(placed.code).toBe(0);
    expect(placed.stdout).toMatch(/Order [0-9a-f-]{36}: completed, total \$44\.00/);
    const key = /Idempotency-Key: (\S+)/.exec(placed.stderr)?.[1] ?? '';
    expect(key).not.toBe('');
    const orderId = /Order ([0-9a-f-]{36})/.exec(placed.stdout)?.[1];
    const again = json<Order>(await tl('orders', 'create', '--customer', delta.id, '--sku', sku, '--quantity', '2', '--provider', meridian.organization.id, '--idempotency-key', key, '--json'));
    expect(again.id).toBe(orderId);

    const annual = await tl('orders', 'create', '--customer', delta.id, '--sku', sku, '--quantity', '1', '--cycle', 'annual', '--provider', meridian.organization.id, '--json');
    expect(json<Order>(annual).state).toBe('completed');
    expect(annual.stderr).toMatch(/Idempotency-Key: [0-9a-f-]{36}/);
    const reused = await tl('orders', 'create', '--customer', delta.id, '--sku', sku, '--quantity', '3', '--provider', meridian.organization.id, '--idempotency-key', key);
    expectProblem(reused, 'idempotency_key_reused');
    expectProblem(await tl('orders', 'create', '--customer', delta.id, '--sku', sku, '--quantity', '2'), 'partner_of_record_required');
    expect((await tl('orders', 'create', '--customer', delta.id, '--sku', sku, '--quantity', '2', '--cycle', 'weekly')).code).toBe(2);
  });

  it('subscriptions: list; set-quantity sends the ETag it read; a stale --if-match gets a clear 412 message', async () => {
    const human = await tl('subscriptions', 'list', '--customer', delta.id);
    expect(human.stdout).toMatch(/^ID\s+PRODUCT\s+SKU\s+CYCLE\s+QUANTITY/);
    const list = json<{ items: Subscription[] }>(await tl('subscriptions', 'list', '--customer', delta.id, '--json'));
    const subscription = list.items[0];
    if (subscription === undefined) throw new Error('no subscription');

    const changed = await tl('subscriptions', 'set-quantity', '--customer', delta.id, subscription.id, String(subscription.quantity + 1));
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain(`${subscription.quantity} → ${subscription.quantity + 1} seats`);
    const viaJson = json<Subscription>(await tl('subscriptions', 'set-quantity', '--customer', delta.id, subscription.id, String(subscription.quantity + 2), '--json'));
    expect(viaJson.quantity).toBe(subscription.quantity + 2);
    expect(viaJson.etag).not.toBe(subscription.etag);

    // The ETag read before those two changes no longer matches.
    const stale = await tl('subscriptions', 'set-quantity', '--customer', delta.id, subscription.id, '7', '--if-match', subscription.etag);
    expectProblem(stale, 'precondition_failed');
    expect(stale.stderr).toContain('changed after it was read');
    expect(stale.stderr).toContain('nothing was changed');
    const after = json<{ items: Subscription[] }>(await tl('subscriptions', 'list', '--customer', delta.id, '--json'));
    expect(after.items.find((s) => s.id === subscription.id)?.quantity).toBe(subscription.quantity + 2);
    expectProblem(await tl('subscriptions', 'set-quantity', '--customer', delta.id, subscription.id, '100000'), 'quantity_out_of_range');
  });

  it('users add prints the temporary password once; users list; a bad role is the API\'s 400', async () => {
    const added = await tl('users', 'add', '--name', 'Pat Cli', '--email', 'pat.cli@alder-it.example', '--role', 'sales_agent', 'helpdesk_agent');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('roles: sales_agent, helpdesk_agent');
    expect(added.stdout).toMatch(/Temporary password .*: \S{12,}/);
    const viaJson = json<{ user: { email: string; roles: string[] }; temporaryPassword: string }>(
      await tl('users', 'add', '--name', 'Sam Cli', '--email', 'sam.cli@alder-it.example', '--role', 'admin_agent', '--json'),
    );
    expect(viaJson.user.roles).toEqual(['admin_agent']);
    expect(viaJson.temporaryPassword.length).toBeGreaterThan(8);

    const list = await tl('users', 'list');
    expect(list.stdout).toMatch(/Pat Cli\s+pat\.cli@alder-it\.example\s+sales_agent, helpdesk_agent\s+active/);
    const all = json<Page<{ email: string }>>(await tl('users', 'list', '--all', '--json'));
    expect(all.items.map((u) => u.email)).toEqual(expect.arrayContaining(['pat.cli@alder-it.example', 'sam.cli@alder-it.example']));
    const badRole = await tl('users', 'add', '--name', 'X', '--email', 'x.cli@alder-it.example', '--role', 'wizard');
    expectProblem(badRole, 'validation_failed');
    expect(badRole.stderr).toContain('roles.0');
    expectProblem(await tl('users', 'add', '--name', 'Pat Again', '--email', 'pat.cli@alder-it.example'), 'email_taken');
  });

  it('audit tail: the newest events oldest first, --json; --follow prints new events and stops on SIGINT', async () => {
    const human = await tl('audit', 'tail', '--limit', '3');
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+ACTION\s+ACTOR\s+TARGET/);
    expect(lines).toHaveLength(4);
    const page = json<Page<{ occurredAt: string; action: string }>>(await tl('audit', 'tail', '--limit', '3', '--json'));
    expect(page.items).toHaveLength(3);

    const follow = start(['audit', 'tail', '--follow', '--json', '--limit', '1', '--interval', '0.3'], env);
    await until(() => follow.output.stdout.includes('\n'), 'the first event');
    const added = await tl('users', 'add', '--name', 'Followed', '--email', 'followed.cli@alder-it.example');
    expect(added.code).toBe(0);
    await until(() => follow.output.stdout.includes('"user.created"') && follow.output.stdout.split('\n').length > 2, 'the new event', 20_000);
    follow.child.kill('SIGINT');
    const result = await follow.done;
    expect(result.code).toBe(0);
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { action: string; after: { email?: string } | null });
    expect(events.at(-1)?.action).toBe('user.created');
    expect(events.at(-1)?.after?.email).toBe('followed.cli@alder-it.example');
    expect(new Set(result.stdout.trimEnd().split('\n')).size).toBe(events.length);

    const humanFollow = start(['audit', 'tail', '-f', '--limit', '2', '--interval', '0.3'], env);
    await until(() => humanFollow.output.stdout.includes('TIME'), 'the table header');
    humanFollow.child.kill('SIGINT');
    expect((await humanFollow.done).code).toBe(0);
  });

  it('catalog list: SKUs with prices (--json is read in beforeAll), --csv', async () => {
    const table = await tl('catalog', 'list');
    expect(table.stdout).toMatch(/Nimbus Workplace Premium\s+\$22\.00\s+\$216\.00\s+1-300/);
    const csv = await tl('catalog', 'list', '--csv');
    expect(csv.stdout).toContain(`${sku},Nimbus Workplace,Nimbus Workplace Premium,$22.00,$216.00,1-300`);
  });
});
