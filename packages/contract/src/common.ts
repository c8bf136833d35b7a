import { z } from 'zod';

export const Id = z.uuid();
export const IdParams = z.object({ id: Id }).strict();
export const Email = z.string().trim().toLowerCase().max(254).email();
export const Timestamp = z.iso.datetime({ offset: true });
/** ISO 3166-1 alpha-2, upper case. */
export const Country = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'two-letter country code');
/** A DNS name such as contoso.com, lower case. */
export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a domain name such as contoso.com');
export const DisplayName = z.string().trim().min(1).max(200);
export const Password = z.string().min(8).max(128);

/**
 * A free-text filter of a list (a name prefix, an address): matched as a literal. PostgreSQL text
 * cannot hold a NUL character, so one is refused here (400) rather than reaching the query.
 */
export function FilterText(max: number) {
  return z.string().trim().regex(/^[^\u0000]*$/, 'must not contain NUL characters').max(max);
}

export const maxPageSize = 200;
export const defaultPageSize = 50;

export const PageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
    cursor: z.string().max(512).optional(),
    /** Case-insensitive name prefix. */
    name: FilterText(200).min(1).optional(),
  })
  .strict();
export type PageQuery = z.infer<typeof PageQuery>;

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Sort direction of a sortable list. */
export const SortOrder = z.enum(['asc', 'desc']);
export type SortOrder = z.infer<typeof SortOrder>;

/**
 * Rows counted beyond this are reported as "more than": an exact count of a large reseller's book
 * would scan it all on every page.
 */
export const countCap = 10_000;

/** How many rows the list's filter matches: exact up to `countCap`, else `exact: false` with `value: countCap`. */
export const ListCount = z.object({ value: z.number().int().min(0), exact: z.boolean() }).meta({ id: 'ListCount' });
export type ListCount = z.infer<typeof ListCount>;

/** `count=true` asks a list for its `count` (the portal asks on the first page and keeps it). */
export const CountFlag = z.enum(['true', 'false']).optional();

/** A page of a list that also says how many rows its filter matches (`count`). */
export function countedPage<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable(), count: ListCount.nullable() });
}
export interface CountedPage<T> extends Page<T> {
  /** Null unless the query asked for it (`count=true`). */
  count: ListCount | null;
}

export const OrganizationSummary = z
  .object({ id: Id, name: z.string(), domain: z.string(), country: z.string() })
  .meta({ id: 'OrganizationSummary' });
export type OrganizationSummary = z.infer<typeof OrganizationSummary>;
