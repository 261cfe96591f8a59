/**
 * JSON text laid out the way Prettier (printWidth 100) lays it out, so generated files pass
 * `prettier --check` without running Prettier at generation time.
 */

const PRINT_WIDTH = 100;

/** Objects one key per line; arrays of scalars on one line when they fit; trailing newline. */
export function toJsonText(value: unknown): string {
  return `${print(value, '', 0)}\n`;
}

/** `prefixWidth`: characters before the value on its line; `suffix` width after it (`,`). */
function print(value: unknown, indent: string, prefixWidth: number, suffix = 0): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const scalars = value.every((item) => typeof item !== 'object' || item === null);
    if (scalars) {
      const flat = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
      if (prefixWidth + flat.length + suffix <= PRINT_WIDTH) return flat;
    }
    const items = value.map(
      (item, i) => `${inner}${print(item, inner, inner.length, i < value.length - 1 ? 1 : 0)}`,
    );
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([key, v], i) => {
      const head = `${inner}${JSON.stringify(key)}: `;
      return `${head}${print(v, inner, head.length, i < entries.length - 1 ? 1 : 0)}`;
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
