/**
 * A small YAML writer for plain JSON-like values: the dashboard bundle files.
 * Strings are written as JSON strings (valid YAML double-quoted scalars), so
 * nothing in a SQL expression or a title can change the document's structure.
 */
export type YamlValue =
  string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function key(k: string): string {
  return PLAIN_KEY.test(k) ? k : JSON.stringify(k);
}

function scalar(value: string | number | boolean | null): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new Error(`toYaml: ${value} has no YAML form here`);
  }
  return JSON.stringify(value);
}

function isEmptyCollection(value: YamlValue): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0)
  );
}

function lines(value: YamlValue, indent: string): string[] {
  if (value === null || typeof value !== 'object') return [indent + scalar(value)];
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object' && !isEmptyCollection(item)) {
        const inner = lines(item, `${indent}  `);
        out.push(`${indent}- ${(inner[0] ?? '').trimStart()}`, ...inner.slice(1));
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object' && !isEmptyCollection(v)) {
      out.push(`${indent}${key(k)}:`, ...lines(v, `${indent}  `));
    } else {
      out.push(`${indent}${key(k)}: ${inline(v)}`);
    }
  }
  return out;
}

function inline(value: YamlValue): string {
  if (Array.isArray(value)) return '[]';
  if (value !== null && typeof value === 'object') return '{}';
  return scalar(value);
}

/** The YAML document for `value` (an object at the top), ending in a newline. */
export function toYaml(value: { [key: string]: YamlValue }): string {
  return `${lines(value, '').join('\n')}\n`;
}
