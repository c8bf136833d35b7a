import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';

/*
 * JSON Schema (as the OpenAPI 3.1 document of /api/openapi.json spells it) to fast-check
 * arbitraries of valid values, schema-invalid variants of a valid value, and ajv validators of
 * request and response schemas against the document's components. Used by the INPUT-01 fuzzer.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Schema = { [key: string]: Json };

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
  security?: Json[];
}

export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: Schema;
}

export interface MediaType {
  schema: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
  security?: Json[];
}

export const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Removes `$id` and `$schema` from component schemas, so that their `#/components/...` refs resolve against the document. */
function withoutIds(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (!isSchema(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '$id' && k !== '$schema').map(([k, v]) => [k, withoutIds(v)]));
}

export class SchemaTools {
  private readonly ajv: Ajv2020;
  private readonly components: Record<string, Schema>;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
    addFormats.default(this.ajv);
    const stripped = withoutIds(JSON.parse(JSON.stringify(document)) as Json);
    if (!isSchema(stripped)) throw new Error('the document is not an object');
    this.ajv.addSchema(stripped, 'doc');
    this.components = document.components.schemas;
  }

  /** A validator for the schema at this JSON pointer of the document (`/paths/~1api…/get/…/schema`). */
  validator(pointer: string): ValidateFunction {
    const known = this.compiled.get(pointer);
    if (known !== undefined) return known;
    const validate = this.ajv.compile({ $ref: `doc#${pointer}` });
    this.compiled.set(pointer, validate);
    return validate;
  }

  errorsOf(validate: ValidateFunction): string {
    return this.ajv.errorsText(validate.errors, { separator: '; ' });
  }

  resolve(schema: Schema): Schema {
    const ref = schema['$ref'];
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/components/schemas/', '');
    const target = this.components[name];
    if (target === undefined) throw new Error(`unknown ref ${ref}`);
    return this.resolve(target);
  }

  /** Values the schema accepts (bounded sizes; long strings kept short). */
  valid(input: Schema, depth = 0): fc.Arbitrary<Json> {
    const schema = this.resolve(input);
    const options = schema['anyOf'] ?? schema['oneOf'];
    if (Array.isArray(options)) return fc.oneof(...options.filter(isSchema).map((s) => this.valid(s, depth + 1)));
    if (schema['const'] !== undefined) return fc.constant(schema['const']);
    const choices = schema['enum'];
    if (Array.isArray(choices)) return fc.constantFrom(...choices);
    const type = schema['type'];
    if (Array.isArray(type)) return fc.oneof(...type.filter((t): t is string => typeof t === 'string').map((t) => this.valid({ ...schema, type: t }, depth + 1)));
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
      case 'number': {
        const min = typeof schema['minimum'] === 'number' ? Math.max(schema['minimum'], -1_000_000) : -1000;
        const max = typeof schema['maximum'] === 'number' ? Math.min(schema['maximum'], 1_000_000) : 1000;
        return type === 'integer' ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      }
      case 'string':
        return this.validString(schema);
      case 'array': {
        const items = isSchema(schema['items']) ? schema['items'] : {};
        const minLength = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
        const maxLength = Math.min(typeof schema['maxItems'] === 'number' ? schema['maxItems'] : 3, minLength + 3);
        return fc.array(this.valid(items, depth + 1), { minLength, maxLength }).map((a): Json => a);
      }
      case 'object':
      default: {
        const properties = isSchema(schema['properties']) ? schema['properties'] : {};
        const required = Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : [];
        const record: Record<string, fc.Arbitrary<Json>> = {};
        for (const [key, value] of Object.entries(properties)) if (isSchema(value)) record[key] = this.valid(value, depth + 1);
        return fc.record(record, { requiredKeys: required }).map((o): Json => o as { [key: string]: Json });
      }
    }
  }

  private validString(schema: Schema): fc.Arbitrary<Json> {
    const minLength = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
    const maxLength = Math.max(minLength, Math.min(typeof schema['maxLength'] === 'number' ? schema['maxLength'] : 40, minLength + 40));
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
    switch (schema['format']) {
      case 'uuid':
        return fc.uuid();
      case 'email':
        return fc.tuple(label, label).map(([user, host]) => `${user}@${host}.test`);
      case 'date-time':
        return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
      case 'uri':
        return label.map((l) => `https://${l}.test/${l}`);
      default:
        break;
    }
    const pattern = schema['pattern'];
    if (typeof pattern === 'string') {
      // Host names (a lookahead fast-check cannot generate from): built instead.
      if (pattern.startsWith('^(?=.{1,253}$)')) return fc.tuple(label, label).map(([a, b]) => `${a}.${b}.test`);
      return fc.stringMatching(new RegExp(pattern)).filter((s) => s.length >= minLength && s.length <= maxLength);
    }
    return fc.string({ minLength, maxLength, unit: 'grapheme-ascii' });
  }

  /**
   * Variants of a valid value that the schema must refuse: one field's type changed, a required
   * field left out, an unknown field added, a bound crossed, an enum left. The caller keeps those
   * the validator refuses (so every one is schema-invalid for sure).
   */
  invalid(input: Schema, value: Json): Json[] {
    const schema = this.resolve(input);
    const out: Json[] = [];
    const type = schema['type'];
    const types = Array.isArray(type) ? type : [type];
    if (!types.includes('string')) out.push('not-of-this-type');
    if (!types.includes('integer') && !types.includes('number')) out.push(12345);
    if (!types.includes('object')) out.push({ unexpected: true });
    if (!types.includes('array')) out.push([]);
    if (!types.includes('null')) out.push(null);
    if (types.includes('string')) {
      if (typeof schema['maxLength'] === 'number') out.push('x'.repeat(schema['maxLength'] + 1));
      if (typeof schema['minLength'] === 'number' && schema['minLength'] > 0) out.push('');
      if (schema['format'] === 'uuid') out.push('not-a-uuid');
      if (Array.isArray(schema['enum'])) out.push('not_in_the_enum');
    }
    if (types.includes('integer') || types.includes('number')) {
      if (typeof schema['maximum'] === 'number') out.push(schema['maximum'] + 1);
      if (typeof schema['minimum'] === 'number') out.push(schema['minimum'] - 1);
      if (types.includes('integer')) out.push(1.5);
    }
    if (isSchema(value)) {
      const properties = isSchema(schema['properties']) ? schema['properties'] : {};
      const required = Array.isArray(schema['required']) ? schema['required'] : [];
      for (const key of required) if (typeof key === 'string') out.push(Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)));
      if (schema['additionalProperties'] === false) out.push({ ...value, organizationId: '00000000-0000-4000-8000-000000000000' });
      for (const [key, inner] of Object.entries(value)) {
        const sub = properties[key];
        if (!isSchema(sub)) continue;
        for (const bad of this.invalid(sub, inner)) out.push({ ...value, [key]: bad });
      }
    }
    if (Array.isArray(value) && isSchema(schema['items'])) {
      const items = schema['items'];
      if (typeof schema['maxItems'] === 'number') out.push(Array.from({ length: schema['maxItems'] + 1 }, () => value[0] ?? null));
      if (typeof schema['minItems'] === 'number' && schema['minItems'] > 0) out.push([]);
      const first = value[0];
      if (first !== undefined) for (const bad of this.invalid(items, first)) out.push([bad, ...value.slice(1)]);
    }
    return out;
  }
}

/** A JSON pointer segment. */
export const pointerSegment = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/*
 * Hostile values for the fuzzer: text a database or a parser gets wrong, numbers at the edges of
 * 32-bit, double and safe-integer ranges. `unstorable` texts must be refused (400) wherever a
 * caller the guard lets through sends them; the others are legal Unicode a route may store.
 */
export interface HostileText {
  label: string;
  value: string;
  unstorable: boolean;
}

const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';

export const hostileTexts: readonly HostileText[] = [
  { label: 'lone high surrogate', value: 'name \ud83d', unstorable: true },
  { label: 'two lone low surrogates', value: '\ude42\ude42', unstorable: true },
  { label: 'NUL', value: 'a\u0000b', unstorable: true },
  { label: 'RTL override', value: 'invoice\u202Efdp.exe', unstorable: false },
  { label: 'combining marks', value: 'Z\u0351\u0352\u0353\u0354 e\u0301\u0301\u0301', unstorable: false },
  { label: 'long grapheme cluster', value: `e${'\u0301'.repeat(600)}`, unstorable: false },
  { label: 'ZWJ emoji run', value: family.repeat(30), unstorable: false },
  { label: 'BOM and zero-width', value: '\uFEFFname\u200B\u2060', unstorable: false },
];

/** Byte sequences that are not UTF-8: a stray byte, a truncated pair, an encoded surrogate (CESU-8), an overlong slash, a 5-byte form. */
export const invalidUtf8: readonly { label: string; bytes: Buffer }[] = [
  { label: '0xff 0xfe', bytes: Buffer.from([0xff, 0xfe]) },
  { label: 'truncated 2-byte', bytes: Buffer.from([0x61, 0xc3, 0x28]) },
  { label: 'encoded surrogate', bytes: Buffer.from([0xed, 0xa0, 0xbd]) },
  { label: 'overlong /', bytes: Buffer.from([0xc0, 0xaf]) },
  { label: '5-byte form', bytes: Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]) },
];

/** Number literals as JSON text, so that -0 and exponent forms reach the server as written. */
export const edgeNumberLiterals: readonly string[] = [
  '0',
  '-0',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '-9007199254740992',
  '1e308',
  '-1e308',
  '1e400',
  '5e-324',
  '1E+2',
  '1e-7',
  '1.0',
  '"NaN"',
  '"Infinity"',
  '"1e3"',
];

/** The same edges as query text (`NaN` and the like as they would be typed). */
export const edgeNumberTexts: readonly string[] = [...edgeNumberLiterals.map((l) => l.replaceAll('"', '')), 'NaN', '-Infinity', '0x10', ' 7', '1_000', ''];

/**
 * Percent-encodes text for a URL the way a careless client would: a lone surrogate, which has no
 * UTF-8 form, becomes its 3-byte CESU-8 escapes (not UTF-8, so the server must refuse them).
 */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i += 1;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(text[i] ?? '');
    }
  }
  return out;
}

/** Where in a JSON value the strings and the numbers are (paths of keys and indexes). */
export function slotsOf(value: Json, at: (string | number)[] = []): { strings: (string | number)[][]; numbers: (string | number)[][] } {
  const out = { strings: [] as (string | number)[][], numbers: [] as (string | number)[][] };
  if (typeof value === 'string') out.strings.push(at);
  else if (typeof value === 'number') out.numbers.push(at);
  else if (Array.isArray(value)) value.forEach((v, i) => merge(out, slotsOf(v, [...at, i])));
  else if (isSchema(value)) for (const [k, v] of Object.entries(value)) merge(out, slotsOf(v, [...at, k]));
  return out;
}

function merge(into: { strings: (string | number)[][]; numbers: (string | number)[][] }, from: { strings: (string | number)[][]; numbers: (string | number)[][] }): void {
  into.strings.push(...from.strings);
  into.numbers.push(...from.numbers);
}

/** A copy of `value` with the slot at `path` replaced. */
export function replaceAt(value: Json, path: readonly (string | number)[], replacement: Json): Json {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value) && typeof head === 'number') return value.map((v, i) => (i === head ? replaceAt(v, rest, replacement) : v));
  if (isSchema(value) && typeof head === 'string') return { ...value, [head]: replaceAt(value[head] ?? null, rest, replacement) };
  return value;
}
