/**
 * `${NAME}` and `${NAME:-default}` in config strings (DESIGN §7), so secrets can live in the
 * environment instead of the file. Only string values are rewritten, never object keys.
 */
import { formatPath, isPlainObject, type PathSegment } from './json-path.js';

/** The environment to read, e.g. `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The rewritten value, and one message per variable that could not be resolved. */
export interface SubstitutionResult {
  readonly value: unknown;
  readonly errors: readonly string[];
  /** Paths (formatted) of strings with an error, so the loader can skip their schema errors. */
  readonly errorPaths: ReadonlySet<string>;
  /** Every variable name a reference named, set or not: they may hold secrets (DESIGN §11). */
  readonly names: ReadonlySet<string>;
}

// `$${` is an escaped literal `${`; `${...}` is a reference; a `${` without `}` is malformed.
const TOKEN = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Replaces references in every string of a parsed JSON value. `${NAME:-default}` uses the default
 * when NAME is unset or empty, as in POSIX shells. Values are inserted literally: a variable
 * whose value contains `${OTHER}` is not expanded again.
 */
export function substituteEnv(value: unknown, env: Env): SubstitutionResult {
  const errors: string[] = [];
  const errorPaths = new Set<string>();
  const names = new Set<string>();
  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === 'string') {
      const problems: string[] = [];
      const out = substituteString(node, env, problems, names);
      if (problems.length > 0) {
        const where = formatPath(path);
        errorPaths.add(where);
        for (const problem of problems) errors.push(`${where}: ${problem}`);
      }
      return out;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (isPlainObject(node)) {
      // fromEntries defines own properties, so a key named "__proto__" stays a plain key.
      return Object.fromEntries(
        Object.entries(node).map(([key, inner]) => [key, walk(inner, [...path, key])]),
      );
    }
    return node;
  };
  return { value: walk(value, []), errors, errorPaths, names };
}

/** Rewrites one string; unresolved references are left as written and reported in `problems`. */
function substituteString(text: string, env: Env, problems: string[], names: Set<string>): string {
  if (!text.includes('$')) return text;
  return text.replace(TOKEN, (token: string, inner: string | undefined) => {
    if (token === '$${') return '${';
    if (inner === undefined) {
      problems.push('"${" without a closing "}" (write "$${" for a literal "${")');
      return token;
    }
    const match = REFERENCE.exec(inner);
    const name = match?.[1];
    if (match === null || name === undefined) {
      problems.push(`"${token}" is not a valid variable reference (write "$\${" for a literal)`);
      return token;
    }
    names.add(name);
    const fallback = match[2];
    const set = env[name];
    if (fallback !== undefined) return set === undefined || set === '' ? fallback : set;
    if (set === undefined) {
      problems.push(`environment variable ${name} is not set`);
      return token;
    }
    return set;
  });
}
