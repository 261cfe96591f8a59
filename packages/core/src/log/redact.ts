/**
 * Secrets out of log lines (DESIGN §2: passwords never reach a log line): the value of every
 * key in REDACTED_KEYS, at the top of a line's fields (and a child logger's bindings) or one
 * level down (`{ smtp: { pass } }`), is replaced by `[redacted]`. pino's `redact` does the top
 * level (a lookup per key); one level down is a plain loop here, as pino's wildcard paths
 * (`*.pass`) cost 3× as much per line: most of a refused request's logging (docs/benchmarks.md).
 */

/** Keys whose values never reach a log line. */
export const REDACTED_KEYS = [
  'password',
  'passwords',
  'pass',
  'token',
  'authToken',
  'secretToken',
  'secret',
  'accounts',
] as const;

/** What a secret's value becomes. */
export const CENSOR = '[redacted]';

const SECRET: ReadonlySet<string> = new Set(REDACTED_KEYS);

/** pino's `redact` option: the top-level keys. */
export const REDACT_TOP = { paths: [...REDACTED_KEYS], censor: CENSOR };

/** `fields` itself when no field holds a secret one level down, else a copy with them censored. */
export function redactNested(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in fields) {
    const value = fields[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    let inner: Record<string, unknown> | undefined;
    for (const name in value) {
      if (SECRET.has(name)) (inner ??= { ...(value as Record<string, unknown>) })[name] = CENSOR;
    }
    if (inner !== undefined) (out ??= { ...fields })[key] = inner;
  }
  return out ?? fields;
}
