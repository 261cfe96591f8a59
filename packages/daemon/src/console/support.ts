/** Test support for the console suites (not a test file): a config, a login, the console's calls. */
import { hashKey } from '@switchboard/core';

/** The owner's password. */
export const PASSWORD = 'console-test-password';
/** An API key that may use the console (its apps include `.e`). */
export const ADMIN_KEY = 'sbk_console-admin-key-for-the-console-tests-only';
/** An API key for named commands only: no console, no live log. */
export const NAMED_KEY = 'sbk_console-named-key-for-the-console-tests-only';

/** A config with the console's credentials; `password` replaces the owner's password. */
export function consoleConfig(password = PASSWORD): Record<string, unknown> {
  return {
    filters: { pinAndShortcuts: { passwords: [password], shortcuts: { up: '.s uptime' } } },
    apps: { shell: { unrestricted: true } },
    http: { listen: '127.0.0.1:0', trustProxy: ['127.0.0.1'] },
    apiKeys: {
      admin: { sha256: hashKey(ADMIN_KEY), apps: ['.e', '.s'] },
      named: { sha256: hashKey(NAMED_KEY) },
    },
    limits: { failedLoginsBeforeBan: 3 },
  };
}

/** A logged-in console session: its cookie and CSRF token. */
export interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

/** POSTs a login; the answer's status, body and cookie. */
export async function login(
  url: string,
  credential: string,
  source = '127.0.0.1',
): Promise<{ status: number; body: { csrf?: string; error?: string }; cookie: string }> {
  const res = await fetch(`${url}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': source },
    body: JSON.stringify({ credential }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { csrf?: string; error?: string },
    cookie: res.headers.get('set-cookie') ?? '',
  };
}

/** Logs in and returns the session; throws if the login is refused. */
export async function session(url: string, credential = PASSWORD): Promise<Session> {
  const answer = await login(url, credential);
  if (answer.status !== 200 || answer.body.csrf === undefined) {
    throw new Error(`login refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return { cookie: answer.cookie.split(';', 1)[0] ?? '', csrf: answer.body.csrf };
}

/** Calls a console route with the session's cookie (and its CSRF token unless `csrf` is false). */
export async function call(
  url: string,
  route: string,
  session: Session,
  options: { body?: unknown; csrf?: boolean } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/console/${route}`, {
    method: options.body === undefined ? 'GET' : 'POST',
    headers: {
      cookie: session.cookie,
      'content-type': 'application/json',
      ...(options.csrf === false ? {} : { 'x-csrf-token': session.csrf }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
  };
}
