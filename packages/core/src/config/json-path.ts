/**
 * JSON paths as config errors print them: `http.listen`, `filters.pinAndShortcuts.passwords[0]`,
 * `apps.twoFA.accounts["my bank"]`, and `(root)` for the top level.
 */

/** One step into a JSON value: an object key or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Formats a path for an error message; keys that are not identifiers are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Turns a JSON Pointer (as ajv reports `instancePath`) into path segments, walking `data` so
 * that array items become indexes: a key `"0"` of an object stays a key.
 */
export function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      path.push(index);
      node = node[index];
    } else {
      path.push(key);
      node = isPlainObject(node) ? node[key] : undefined;
    }
  }
  return path;
}

/** True for a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `text` parsed, when it is a JSON object; else (not JSON, or another value) undefined. */
export function jsonObject(text: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where JSON.parse gave up, as 1-based line and column. V8 does not always say (`Unexpected
 * token ']', "..." is not valid JSON`), so a small recursive scan finds the first bad character.
 */
export function locateJsonError(text: string): { line: number; column: number } {
  const offset = jsonErrorOffset(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function jsonErrorOffset(text: string): number {
  // Sticky regexes carry lastIndex, so they are made per call, not shared at module level.
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/y;
  let i = 0;
  const step = (): true => {
    i++;
    return true;
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const string = (): boolean => {
    if (text.charAt(i) !== '"') return false;
    i++;
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === '"') return step();
      if (c < ' ') return false;
      if (c === '\\') {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) return false;
        i = ESCAPE.lastIndex;
      } else i++;
    }
    return false;
  };
  const members = (close: string, member: () => boolean): boolean => {
    i++;
    skipSpace();
    if (text.charAt(i) === close) return step();
    for (;;) {
      skipSpace();
      if (!member()) return false;
      skipSpace();
      const c = text.charAt(i);
      if (c === close) return step();
      if (c !== ',') return false;
      i++;
    }
  };
  const value = (): boolean => {
    skipSpace();
    const c = text.charAt(i);
    if (c === '{') {
      return members('}', () => {
        if (!string()) return false;
        skipSpace();
        if (text.charAt(i) !== ':') return false;
        i++;
        return value();
      });
    }
    if (c === '[') return members(']', value);
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return true;
      }
    }
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) return false;
    i = NUMBER.lastIndex;
    return true;
  };
  if (value()) skipSpace();
  return i;
}
