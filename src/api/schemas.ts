import { z } from '@hono/zod-openapi';

/**
 * Building blocks shared by the API's zod schemas. Responses are plain JSON: dates travel as
 * ISO 8601 strings and money as decimal strings ("1234.50"), never floats.
 */

/** A positive integer id in a path (`/customers/{id}`): digits only, so "1e3" or "-1" is a 400. */
export const idParam = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'must be a positive integer id')
    .transform(Number)
    .refine((n) => n <= 2_147_483_647, 'id out of range')
    .describe('numeric id'),
});

export const isoDateTime = z.iso.datetime({ offset: true }).describe('ISO 8601 timestamp (UTC)');
export const isoDate = z.iso.date().describe('calendar date YYYY-MM-DD');
export const decimalString = z.string().regex(/^-?\d+\.\d{2}$/).describe('decimal amount in yuan with two places, e.g. "1234.50"');

export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
/** A DATE column (birthday) as its calendar day; Prisma returns it at UTC midnight. */
export const dayOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString().slice(0, 10) : null);

/** page / pageSize query parameters: page from 1, at most 100 rows a page. */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1).describe('page number, from 1'),
  pageSize: z.coerce.number().int().min(1).max(100).default(20).describe('rows per page (1–100)'),
});
export type PageQuery = z.infer<typeof pageQuery>;

/** The envelope of every paginated list: the page's items and the total across all pages. */
export function paged<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int().describe('rows matching the filters, across all pages'),
  });
}

export const pageWindow = (q: PageQuery) => ({ skip: (q.page - 1) * q.pageSize, take: q.pageSize });

/**
 * The one error body of the whole HTTP edge; validation errors add the zod issues. Named, so the
 * document has it once, as `#/components/schemas/Error`, and every error response refers to it.
 */
export const errorSchema = z
  .object({
  error: z.object({
    code: z.string().describe('machine-readable code, e.g. unauthorized, not_found, invalid_request'),
    message: z.string(),
    requestId: z.string().describe('the x-request-id of the response; quote it when reporting a problem'),
    issues: z
      .array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), code: z.string() }))
      .optional()
      .describe('validation problems (400/422 only)'),
    existingId: z.number().int().optional().describe('409 on a unique value already held (phone_taken, customer_no_taken): the id of the member who holds it'),
  }),
  })
  .openapi('Error');

/** A query flag: "true"/"1" or "false"/"0" (z.coerce.boolean would read "false" as true). */
export const queryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** A value as JSON carries it: Dates become ISO strings, bigints decimal strings. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends bigint
    ? string
    : T extends readonly (infer U)[]
      ? Jsonified<U>[]
      : T extends object
        ? { [K in keyof T]: Jsonified<T[K]> }
        : T;

/** Converts a CRM view (Dates, bigints) to what the response schema describes. */
export function jsonify<T>(value: T): Jsonified<T> {
  if (value instanceof Date) return value.toISOString() as Jsonified<T>;
  if (typeof value === 'bigint') return value.toString() as Jsonified<T>;
  if (Array.isArray(value)) return value.map(jsonify) as Jsonified<T>;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonify(v)])) as Jsonified<T>;
  }
  return value as Jsonified<T>;
}
