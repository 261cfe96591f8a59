/**
 * Test rig for the router tests (not exported from the package): a daemon's Twilio side on a
 * loopback port, requests signed with twilio's own helper, and TwiML readers.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import twilio from 'twilio';
import {
  APPS,
  Pipeline,
  PipelineRuntime,
  createConfigLoader,
  createServices,
  defineApp,
  type Command,
  type Config,
  type Runtime,
} from '@switchboard/core';
import { createTwilioRouter } from './router.js';

/** The auth token of the rig's config. */
export const TOKEN = 'test-auth-token-0123456789abcdef';
/** The default publicUrl. */
export const PUBLIC = 'https://sb.example.com';
/** A password that a keypad can type. */
export const PASSWORD = 'verysecret';
/** The declaration every TwiML answer starts with. */
export const XML = '<?xml version="1.0" encoding="UTF-8"?>';

/** `.x` answers its input: hostile output without a shell. */
const echoApp = defineApp({
  trigger: '.x',
  name: 'echo',
  docs: { enabled: 'always' },
  isConfigured: () => true,
  execute: (input) => Promise.resolve(input),
});

/** A daemon's Twilio side on a loopback port, with what it processed and logged. */
export interface Rig {
  readonly base: string;
  readonly runtime: PipelineRuntime;
  readonly processed: Command[];
  readonly logs: string[];
  /** Replaces the config the router sees (a reload). */
  setConfig(config: Config): void;
  readonly config: Config;
  /** POSTs a form to `path` (under /twilio), signed for `signedUrl` (default: the public URL). */
  post(
    path: string,
    params: Record<string, string>,
    options?: { signedUrl?: string; signature?: string | null; token?: string },
  ): Promise<{ status: number; type: string; body: string }>;
  close(): Promise<void>;
}

/** Starts a rig; `twilioBlock` and `raw` are merged into its config. */
export async function startRig(
  twilioBlock: Record<string, unknown> = {},
  raw: object = {},
): Promise<Rig> {
  const loader = createConfigLoader([...APPS, echoApp]);
  const parsed = loader.parse(
    JSON.stringify({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      apps: { shell: { unrestricted: true } },
      mail: { outbox: join(mkdtempSync(join(tmpdir(), 'sb-twilio-')), 'outbox') },
      limits: { failedLoginsBeforeBan: 3 },
      http: {},
      twilio: { authToken: TOKEN, publicUrl: PUBLIC, ...twilioBlock },
      ...raw,
    }),
    { env: {} },
  );
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const logs: string[] = [];
  const services = createServices(parsed.config, {
    logDestination: { write: (line: string) => logs.push(line) },
    baseDir: tmpdir(),
  });
  const runtime = new PipelineRuntime(
    new Pipeline({ config: parsed.config, services, apps: [...APPS, echoApp] }),
    services,
  );
  const processed: Command[] = [];
  let current = parsed.config;
  // Records every command that reached the pipeline, to prove refused requests ran nothing.
  const watched: Runtime = {
    services,
    process: (command) => {
      processed.push(command);
      return runtime.process(command);
    },
    authorises: (channel, content) => runtime.authorises(channel, content),
    admit: (request) => runtime.admit(request),
    authenticate: (command) => runtime.authenticate(command),
    config: () => current,
    track: (work) => runtime.track(work),
    abandoned: runtime.abandoned,
  };
  const app = express();
  app.use('/twilio', createTwilioRouter(watched));
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  const publicUrl = (twilioBlock.publicUrl as string | undefined) ?? PUBLIC;
  return {
    base,
    runtime,
    processed,
    logs,
    config: parsed.config,
    setConfig: (config) => {
      current = config;
    },
    async post(path, params, options = {}) {
      const signedUrl = options.signedUrl ?? `${publicUrl.replace(/\/$/, '')}/twilio${path}`;
      const signature =
        options.signature === undefined
          ? twilio.getExpectedTwilioSignature(options.token ?? TOKEN, signedUrl, params)
          : options.signature;
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
      };
      if (signature !== null) headers['x-twilio-signature'] = signature;
      const res = await fetch(`${base}/twilio${path}`, {
        method: 'POST',
        headers,
        body: new URLSearchParams(params).toString(),
      });
      return {
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        body: await res.text(),
      };
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** The text of every `<Say>`, unescaped, in order. */
export function says(twiml: string): string[] {
  return [...twiml.matchAll(/<Say>([^<]*)<\/Say>/g)].map((m) => unescapeXml(m[1] ?? ''));
}

/** Undoes XML escaping of text content. */
export function unescapeXml(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}
