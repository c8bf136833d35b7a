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

export const OrganizationSummary = z
  .object({ id: Id, name: z.string(), domain: z.string(), country: z.string() })
  .meta({ id: 'OrganizationSummary' });
export type OrganizationSummary = z.infer<typeof OrganizationSummary>;
