/** Test support for the tools-API suites (not a test file): a config with named commands. */

/** The owner's password in namedCommandsConfig(). */
export const PASSWORD = 'named-commands-password';

/** A config with the named commands of these tests. */
export function namedCommandsConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
    http: { listen: '127.0.0.1:0', trustProxy: ['127.0.0.1'] },
    commands: {
      args: {
        run: ['printf', '[%s]\\n', 'x{word}y', '{other}'],
        args: {
          word: { pattern: '.*', description: 'Any text on one line.' },
          other: { enum: ['one', 'two'], default: 'one' },
        },
        description: 'Prints its arguments, one per line.',
      },
      disk: {
        run: ['df', '-h', '{path}'],
        args: { path: { pattern: '/[a-z/]*', default: '/' } },
      },
      slow: { run: ['sleep', '{sec}'], args: { sec: { pattern: '[0-9]' } }, timeoutSec: 1 },
      off: { run: ['true'], enabled: false },
      lan: { run: ['echo', 'lan'], sources: ['10.0.0.0/8'] },
      once: { run: ['echo', 'once'], rateLimit: { requests: 1, perSec: 3600 } },
    },
    ...extra,
  };
}

/** POSTs `body` to `/api/commands/{name}`. */
export async function postNamed(
  url: string,
  name: string,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<{ status: number; body: { ok?: boolean; output?: string; error?: string | null } }> {
  const res = await fetch(`${url}/api/commands/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { ok?: boolean; output?: string } };
}
