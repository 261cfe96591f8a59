/**
 * Test support (not exported): reads a systemd unit file, so a test can run its ExecStart line
 * the way systemd would (systemd.unit(5), systemd.syntax(7)).
 */

/** A unit's settings: section → key → every value given, in order. */
export type Unit = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

/** Parses the `[Section]` / `Key=value` lines; comments and blank lines are dropped. */
export function parseUnit(text: string): Unit {
  const unit = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header !== null) {
      section = new Map();
      unit.set(header[1] ?? '', section);
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (section === undefined || eq <= 0) throw new Error(`not a unit file line: ${trimmed}`);
    const key = trimmed.slice(0, eq).trim();
    section.set(key, [...(section.get(key) ?? []), trimmed.slice(eq + 1).trim()]);
  }
  return unit;
}

/** The last value of `key` in `section` (later settings override earlier ones). */
export function setting(unit: Unit, section: string, key: string): string | undefined {
  return unit.get(section)?.get(key)?.at(-1);
}

/**
 * Expands the specifiers of a system unit that we use (`%E` /etc, `%S` /var/lib, `%%`), with
 * those roots replaced by `roots` (a test's folders); any other specifier is an error.
 */
export function expandSpecifiers(value: string, roots: { etc: string; state: string }): string {
  return value.replace(/%(.)/g, (_match, letter: string) => {
    if (letter === 'E') return roots.etc;
    if (letter === 'S') return roots.state;
    if (letter === '%') return '%';
    throw new Error(`specifier %${letter} is not expanded by this test`);
  });
}

/** A command line split into words the way systemd does for Exec*= (quotes, no shell). */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return words;
}
