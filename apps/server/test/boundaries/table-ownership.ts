import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Which module owns each table. Only the owner's repository (private) and queries (public reads)
 * name the table; every other module goes through the owner's exported queries and use cases,
 * unless the pair is on the allowlist below. `platform` is the unit of work's own infrastructure.
 */
export const tableOwners: Record<string, string> = {
  organizations: 'identity',
  users: 'identity',
  sessions: 'identity',
  api_keys: 'identity',
  mfa_recovery_codes: 'identity',
  sign_in_throttles: 'identity',
  guess_failures: 'identity',
  partner_profiles: 'organizations',
  membership_accounts: 'enrollment',
  memberships: 'enrollment',
  membership_sign_ins: 'enrollment',
  partnerships: 'partnerships',
  reseller_relationships: 'customers',
  delegated_admin_grants: 'delegated-admin',
  delegated_admin_amendments: 'delegated-admin',
  invitations: 'invitations',
  audit_events: 'audit',
  outbox_messages: 'platform',
  mailbox_messages: 'notifications',
  products: 'commerce',
  skus: 'commerce',
  orders: 'commerce',
  order_lines: 'commerce',
  subscriptions: 'commerce',
  credit_terms: 'commerce',
  idempotency_keys: 'commerce',
  license_assignments: 'customer-admin',
  webhook_endpoints: 'webhooks',
  webhook_messages: 'webhooks',
  webhook_attempts: 'webhooks',
};

export type Access = 'read' | 'write';

export interface AllowedReference {
  /** `module/file.ts` (one file) or `module/*` (the whole module). */
  from: string;
  table: string;
  access: Access;
  why: string;
}

/** Every reference to another module's table that is allowed, and why. Keep it short. */
export const allowedReferences: AllowedReference[] = [
  {
    from: '*',
    table: 'organizations',
    access: 'read',
    why: 'Every list shows the names of the organizations its rows point at; they are joined in the same statement instead of one lookup per row through identity.',
  },
  {
    from: 'identity/*',
    table: 'partner_profiles',
    access: 'read',
    why: 'The actor of every request carries its organization\'s approved programs, read in the one statement that resolves the session or API key (the access hook\'s hot path); /me lists the profiles. identity sits below organizations, so it cannot call it.',
  },
  {
    from: 'customers/customers.repository.ts',
    table: 'delegated_admin_grants',
    access: 'read',
    why: 'A customer\'s partner list pages (keyset) over the union of partners with a relationship and partners with a live grant, which only one statement can order.',
  },
  {
    from: 'invitations/acceptance.repository.ts',
    table: 'partnerships',
    access: 'write',
    why: 'Accepting an invitation is one CTE (hot path): it creates the partnership with the events partnerships exports (partnershipCreatedEvent).',
  },
  {
    from: 'invitations/acceptance.repository.ts',
    table: 'reseller_relationships',
    access: 'write',
    why: 'Accepting an invitation is one CTE (hot path): it creates the reseller relationships with the events customers exports (relationshipCreatedEvent).',
  },
  {
    from: 'invitations/acceptance.repository.ts',
    table: 'delegated_admin_grants',
    access: 'write',
    why: 'Accepting an invitation is one CTE (hot path): it grants delegated admin with the events delegated-admin exports (grantedEvent).',
  },
  {
    from: 'invitations/acceptance.repository.ts',
    table: 'users',
    access: 'write',
    why: 'Accepting an invitation proves the invitee\'s email in the same CTE (users.email_verified_at).',
  },
  {
    from: 'commerce/commerce.repository.ts',
    table: 'reseller_relationships',
    access: 'read',
    why: 'Placing an order (hot path) reads the relationship flags under the credit lock in the statement that claims the idempotency key.',
  },
  {
    from: 'commerce/commerce.repository.ts',
    table: 'partnerships',
    access: 'read',
    why: 'Placing an order (hot path) reads the partnership flags under the credit lock in the statement that claims the idempotency key.',
  },
  {
    from: 'commerce/commerce.repository.ts',
    table: 'license_assignments',
    access: 'read',
    why: 'A subscription\'s quantity may not fall below its assigned seats: counted under the subscription\'s lock. customer-admin sits above commerce, so commerce cannot call it.',
  },
  {
    from: 'enrollment/enrollment.repository.ts',
    table: 'partner_profiles',
    access: 'write',
    why: 'Enrollment creates and decides partner profiles under a lock on the organization\'s profiles; the profile rows are the enrollment\'s state.',
  },
  {
    from: 'platform/*',
    table: 'audit_events',
    access: 'write',
    why: 'The unit of work appends every use case\'s audit events in its transaction, just before COMMIT.',
  },
];

export interface TableReference {
  /** `module/file.ts` relative to src/modules (platform files as `platform/…`). */
  file: string;
  module: string;
  table: string;
  access: Access;
}

/** `export const users = pgTable('users', …)` → users → users. */
export function tableIdentifiers(schemaSource: string): Map<string, string> {
  const tables = new Map<string, string>();
  for (const match of schemaSource.matchAll(/export const (\w+) = pgTable\(\s*'(\w+)'/g)) {
    const [, identifier, table] = match;
    if (identifier !== undefined && table !== undefined) tables.set(identifier, table);
  }
  return tables;
}

const withoutComments = (source: string): string => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

/**
 * The tables a source file names: Drizzle tables imported from the schema (written when passed to
 * insert/update/delete, else read) and table names in raw SQL (`insert into`, `update`,
 * `delete from` write; `from`, `join` read).
 */
export function referencesIn(source: string, tables: Map<string, string>): Array<{ table: string; access: Access }> {
  const code = withoutComments(source);
  const found = new Map<string, Access>();
  const note = (table: string, access: Access) => {
    if (found.get(table) !== 'write') found.set(table, access);
  };
  for (const imported of code.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'[^']*db\/schema\.ts'/g)) {
    for (const name of (imported[1] ?? '').split(',')) {
      const local = name.trim().split(/\s+as\s+/).pop()?.trim() ?? '';
      const table = tables.get(name.trim().split(/\s+as\s+/)[0]?.trim() ?? '');
      if (table === undefined || local === '') continue;
      const written = new RegExp(`\\.(insert|update|delete)\\(\\s*${local}\\b|\\b(insert\\s+into|update|delete\\s+from)\\s+\\$\\{${local}\\}`, 'i');
      note(table, written.test(code) ? 'write' : 'read');
    }
  }
  const names = new Set(tables.values());
  for (const match of code.matchAll(/\b(insert\s+into|update|delete\s+from|from|join)\s+"?([a-z_]+)"?/gi)) {
    const table = match[2] ?? '';
    if (!names.has(table)) continue;
    note(table, /^(from|join)$/i.test(match[1] ?? '') ? 'read' : 'write');
  }
  return [...found].map(([table, access]) => ({ table, access }));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every table reference of the modules and platform under `src` (a server `src` or a fixture of one). */
export function scanTableReferences(src: string): TableReference[] {
  const tables = tableIdentifiers(readFileSync(path.join(src, 'db/schema.ts'), 'utf8'));
  const files = [...sourceFiles(path.join(src, 'modules')), ...sourceFiles(path.join(src, 'platform'))];
  return files.flatMap((full) => {
    const relative = path.relative(src, full).split(path.sep);
    const [first, second] = relative;
    const module = first === 'modules' ? (second ?? '') : 'platform';
    const file = first === 'modules' ? relative.slice(1).join('/') : relative.join('/');
    return referencesIn(readFileSync(full, 'utf8'), tables).map((r) => ({ file, module, ...r }));
  });
}

const allowedFor = (ref: TableReference): AllowedReference | undefined =>
  allowedReferences.find(
    (a) =>
      a.table === ref.table &&
      (a.access === 'write' || ref.access === 'read') &&
      (a.from === '*' || a.from === ref.file || a.from === `${ref.module}/*`),
  );

export interface OwnershipReport {
  /** References to a table another module owns, not on the allowlist. */
  violations: TableReference[];
  /** References the allowlist covers. */
  allowed: TableReference[];
  /** Tables named in a module file that is neither its repository nor its queries. */
  outsideRepositories: TableReference[];
  /** Tables the schema has and the map does not. */
  unowned: string[];
}

/** Files of a module that may hold SQL: its private repository and its public read queries. */
const holdsSql = (file: string): boolean => /\.(repository|queries)\.ts$/.test(file);

export function checkOwnership(src: string): OwnershipReport {
  const refs = scanTableReferences(src);
  const schema = tableIdentifiers(readFileSync(path.join(src, 'db/schema.ts'), 'utf8'));
  const foreign = refs.filter((r) => tableOwners[r.table] !== r.module);
  return {
    violations: foreign.filter((r) => allowedFor(r) === undefined),
    allowed: foreign.filter((r) => allowedFor(r) !== undefined),
    outsideRepositories: refs.filter((r) => r.module !== 'platform' && !holdsSql(r.file)),
    unowned: [...schema.values()].filter((t) => tableOwners[t] === undefined),
  };
}
