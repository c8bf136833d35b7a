import type { Translate } from '../i18n/index.tsx';
import { fieldHint } from './problems.tsx';

/** The part of a zod issue the portal reads (zod 4's issue shapes, kept structural). */
export interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
}

/** A contract schema the form checks its body with before sending (any zod schema). */
export interface BodySchema {
  safeParse(input: unknown): { success: true } | { success: false; error: { issues: readonly SchemaIssue[] } };
}

/** The value at an issue's path (zod does not repeat the input in its issues). */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** One sentence in the user's language for one issue; an empty field is asked for, whatever its rule. */
function issueMessage(t: Translate, issue: SchemaIssue, field: string, value: unknown): string {
  const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
  if (empty && issue.origin !== 'array') return t('field.required');
  const hint = fieldHint(field);
  if (hint !== undefined) return t(hint);
  const min = Number(issue.minimum);
  const max = Number(issue.maximum);
  if (issue.code === 'too_small') return issue.origin === 'string' ? t('validation.tooShort', { min }) : issue.origin === 'array' || issue.origin === 'set' ? t('validation.choose') : t('validation.min', { min });
  if (issue.code === 'too_big') return issue.origin === 'string' ? t('validation.tooLong', { max }) : issue.origin === 'array' || issue.origin === 'set' ? t('validation.tooMany', { max }) : t('validation.max', { max });
  if (issue.code === 'invalid_value') return t('validation.choose');
  return t('error.validation_failed');
}

/**
 * Checks a request body with the contract's schema, as the API will: one message per field path
 * (the first issue of each), or none when the body passes.
 */
export function schemaProblems(t: Translate, schema: BodySchema, body: unknown): Record<string, string> {
  const result = schema.safeParse(body);
  if (result.success) return {};
  const problems: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.');
    problems[field] ??= issueMessage(t, issue, field, valueAt(body, issue.path));
  }
  return problems;
}
