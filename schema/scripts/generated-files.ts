/**
 * What `generate.ts` writes into `schema/src/generated/`, as text: the ajv
 * standalone validators compiled from the zod schemas' JSON Schema, and their
 * type declarations. Pure (no file is written here), so the integrity test
 * can compare the committed files with what the schemas give now.
 */
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { enrichedEvent } from '../src/contract/enriched';
import { wireBatch, wireEvent } from '../src/contract/wire';

type JsonSchema = { [key: string]: unknown };

/** The validators generated, by export name. */
const SCHEMAS = {
  /** The batch envelope (events only checked to be objects). */
  validateWireBatch: wireBatch,
  /** One wire event, after the page_view payload default (`withWireDefaults`). */
  validateWireEvent: wireEvent,
  /** One enriched event, as the ingestor produces it and the processor reads it. */
  validateEnrichedEvent: enrichedEvent,
} as const;

const isObject = (v: unknown): v is JsonSchema =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The property every branch of `oneOf` fixes with `const` (and requires), if
 * any: zod's discriminated unions, which JSON Schema cannot name. Marked with
 * ajv's `discriminator` keyword, ajv checks one branch instead of all.
 */
function discriminatorOf(branches: unknown[]): string | undefined {
  const [first] = branches;
  if (!isObject(first) || !isObject(first.properties)) return undefined;
  return Object.keys(first.properties).find((key) =>
    branches.every(
      (b) =>
        isObject(b) &&
        isObject(b.properties) &&
        isObject(b.properties[key]) &&
        typeof b.properties[key].const === 'string' &&
        Array.isArray(b.required) &&
        b.required.includes(key),
    ),
  );
}

/**
 * `schema` as ajv compiles it: discriminated unions marked, record keys
 * never "__proto__", and without the `format` keyword (zod also writes the
 * `pattern` it checks).
 */
function forAjv(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forAjv);
  if (!isObject(schema)) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'format' || key === '$schema') continue;
    out[key] = forAjv(value);
  }
  // zod's records never keep a "__proto__" key (JSON.parse makes it an own key): left to zod.
  if (isObject(out.propertyNames))
    out.propertyNames = { ...out.propertyNames, not: { const: '__proto__' } };
  if (Array.isArray(out.anyOf)) {
    const merged = mergedTypeUnion(out.anyOf);
    if (merged !== undefined) {
      delete out.anyOf;
      Object.assign(out, merged);
    }
  }
  if (Array.isArray(out.oneOf)) {
    const propertyName = discriminatorOf(out.oneOf);
    if (propertyName !== undefined) {
      out.type = 'object';
      out.discriminator = { propertyName };
    }
  }
  return out;
}

/** Keywords that apply to values of one JSON type only (JSON Schema ignores them for others). */
const KEYWORDS_OF_TYPE: Record<string, readonly string[]> = {
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum'],
  integer: ['minimum', 'maximum'],
  boolean: [],
  null: [],
};

/**
 * `anyOf` of branches that each name one JSON type (all different, at most
 * one numeric) with only keywords of that type, as one schema with a type
 * list: the same verdicts, and ajv does not build an error object for each
 * branch a value misses (custom prop values, nullable strings).
 */
function mergedTypeUnion(branches: unknown[]): JsonSchema | undefined {
  const merged: JsonSchema = { type: [] as string[] };
  const types = merged.type as string[];
  for (const branch of branches) {
    if (!isObject(branch) || typeof branch.type !== 'string') return undefined;
    const own = KEYWORDS_OF_TYPE[branch.type];
    if (own === undefined || types.includes(branch.type)) return undefined;
    const numeric = (t: string) => t === 'number' || t === 'integer';
    if (numeric(branch.type) && types.some(numeric)) return undefined;
    for (const [key, value] of Object.entries(branch)) {
      if (key === 'type') continue;
      if (!own.includes(key)) return undefined;
      merged[key] = value;
    }
    types.push(branch.type);
  }
  return merged;
}

/**
 * The branches of a discriminated union at the root as `definitions`, one
 * per tag value, referred to from `oneOf`: ajv then compiles one function a
 * branch. One function for all seven event types is too large for V8 to
 * optimise and ran 4–5× slower.
 */
function branchesAsDefinitions(schema: JsonSchema): JsonSchema {
  const discriminator = schema.discriminator;
  if (!Array.isArray(schema.oneOf) || !isObject(discriminator)) return schema;
  const tag = discriminator.propertyName as string;
  const definitions: JsonSchema = {};
  const oneOf = (schema.oneOf as JsonSchema[]).map((branch) => {
    const name = ((branch.properties as JsonSchema)[tag] as JsonSchema).const as string;
    definitions[name] = branch;
    return { $ref: `#/definitions/${name}` };
  });
  return { ...schema, oneOf, definitions };
}

/** The JSON Schema a validator is compiled from: zod's output-mode schema, as ajv takes it. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw' });
  return branchesAsDefinitions(forAjv(json) as JsonSchema);
}

const HEADER =
  '// Generated by schema/scripts/generate.ts from the zod schemas (wire.ts, enriched.ts).\n' +
  '// Do not edit: run `npm run generate -w schema`. generated.test.ts fails when stale.\n';

/** ajv's standalone code for every schema of SCHEMAS, as one ESM module. */
function validatorsModule(): string {
  const ajv = new Ajv({
    code: { source: true, esm: true, lines: true },
    messages: false,
    // zod runs its patterns without the `u` flag: so do these. (Lengths: both count code points.)
    unicodeRegExp: false,
    discriminator: true,
    allowUnionTypes: true,
    // One function per referenced schema (see branchesAsDefinitions).
    inlineRefs: false,
    validateFormats: false,
    strict: true,
  });
  const exports: Record<string, string> = {};
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    ajv.addSchema({ $id: name, ...jsonSchemaOf(schema) });
    exports[name] = name;
  }
  const code = lengthsFromUnits(
    standaloneCode(ajv, exports).replace(UCS2LENGTH_REQUIRE, 'ucs2length'),
  );
  // An ESM module with a require() in it would fail where it is bundled or imported.
  if (code.includes('require('))
    throw new Error('ajv standalone code needs another runtime helper');
  return HEADER + code + UCS2LENGTH;
}

/**
 * Counts code points only when the UTF-16 length leaves the answer open, as
 * zod does: a string has at most as many code points as units, so
 * `units <= max` passes a maxLength and `units < min` fails a minLength.
 * (Counting every string took a third of the validators' time.)
 */
function lengthsFromUnits(code: string): string {
  const helper = /const (func\d+) = ucs2length;/.exec(code)?.[1];
  if (helper === undefined) return code;
  const call = new RegExp(`${helper}\\((\\w+)\\) ([<>]) (\\d+)`, 'g');
  let rewritten = 0;
  const out = code.replace(call, (_, data: string, op: string, limit: string) => {
    rewritten++;
    return op === '>'
      ? `(${data}.length > ${limit} && ${helper}(${data}) > ${limit})`
      : `(${data}.length < ${limit} || ${helper}(${data}) < ${limit})`;
  });
  if (out.split(`${helper}(`).length - 1 !== rewritten) {
    throw new Error(`a length check of another form than ${helper}(data) > n`);
  }
  return out;
}

/**
 * ajv's ESM output still `require`s its runtime helper for string lengths
 * (which, like zod 4, counts code points), and the schema package's ajv is
 * not the one hoisted to the root node_modules: the helper is inlined instead.
 */
const UCS2LENGTH_REQUIRE = 'require("ajv/dist/runtime/ucs2length").default';
const UCS2LENGTH = `
/** The length of a string in code points (ajv's runtime/ucs2length, inlined). */
function ucs2length(str) {
  const len = str.length;
  let length = 0;
  let pos = 0;
  let value;
  while (pos < len) {
    length++;
    value = str.charCodeAt(pos++);
    if (value >= 0xd800 && value <= 0xdbff && pos < len) {
      value = str.charCodeAt(pos);
      if ((value & 0xfc00) === 0xdc00) pos++;
    }
  }
  return length;
}
`;

function declarations(): string {
  const lines = Object.keys(SCHEMAS).map(
    (name) => `export declare const ${name}: GeneratedValidator;`,
  );
  return (
    HEADER +
    '/** A generated validator: true when the value is valid; `errors` names the first problem otherwise. */\n' +
    'export interface GeneratedValidator {\n  (data: unknown): boolean;\n  errors?: unknown[] | null;\n}\n' +
    lines.join('\n') +
    '\n'
  );
}

/** The files of `schema/src/generated/` by name, formatted as the repo's prettier does. */
export async function generatedFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {
    'validators.js': validatorsModule(),
    'validators.d.ts': declarations(),
  };
  for (const name of ['validators.d.ts']) {
    const options = (await resolveConfig(name)) ?? {};
    files[name] = await format(files[name] ?? '', { ...options, filepath: name });
  }
  return files;
}
