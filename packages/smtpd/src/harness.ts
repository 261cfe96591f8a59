/**
 * Test rig (not exported from the package): a runtime over a real config and outbox, the
 * channel on a port-0 listener, a local smtp-server sink standing in for the relay, and swaks
 * (a real SMTP client) to talk to the channel.
 */
import { after, before } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createConfigLoader,
  createServices,
  APPS,
  Pipeline,
  PipelineRuntime,
  type OwnedServices,
} from '@switchboard/core';
import { startSmtpSink, type MailSink } from '@switchboard/core/testing';
import { simpleParser, type ParsedMail } from 'mailparser';
import {
  startSmtpChannel,
  type SmtpChannelHandle,
  type SmtpChannelOptions,
} from './smtp-channel.js';

/** The password of every rig. */
export const PASSWORD = 'verysecret';
/** The domain the channel takes mail for. */
export const MY_DOMAIN = 'sb.test';
/** Where mail without a command is forwarded. */
export const OWNER = 'owner@home.test';
/** The channel's own sender address (mail.from). */
export const OUR_ADDRESS = 'switchboard@sb.test';

/** One message the sink received. */
export interface SinkMail {
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  readonly raw: string;
  readonly parsed: ParsedMail;
}

/** A local SMTP server standing in for the relay. */
export type Sink = MailSink<SinkMail>;

/** Starts a sink on `port` (0: any free port) that parses every mail before answering 250. */
export function startSink(port = 0): Promise<Sink> {
  return startSmtpSink(port, async ({ raw, envelopeFrom, envelopeTo }) => ({
    envelopeFrom,
    envelopeTo,
    raw: raw.toString('utf8'),
    parsed: await simpleParser(raw, { ignoreEmbedded: true }),
  }));
}

export { deadPort, waitFor } from '@switchboard/core/testing';

/** A running channel with its runtime and outbox. */
export interface Rig {
  readonly channel: SmtpChannelHandle;
  readonly services: OwnedServices;
  /** Every log line, parsed. */
  readonly logs: Record<string, unknown>[];
  readonly outboxDir: string;
  close(): Promise<void>;
}

/** Builds config → services → outbox → runtime → channel. `smtp` and `mail` merge over defaults. */
/**
 * A relay sink and a rig on it, started before the suite's tests and closed after them; read
 * `sink` and `rig` inside the tests.
 */
export function sinkAndRigPerSuite(options: { smtp?: Record<string, unknown> } = {}): {
  readonly sink: Sink;
  readonly rig: Rig;
} {
  let sink: Sink | undefined;
  let rig: Rig | undefined;
  before(async () => {
    sink = await startSink();
    rig = await startRig({ relayPort: sink.port, ...options });
  });
  after(async () => {
    await rig?.close();
    await sink?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite has not started its rig');
    return value;
  };
  return {
    get sink() {
      return started(sink);
    },
    get rig() {
      return started(rig);
    },
  };
}

export async function startRig(options: {
  relayPort: number;
  smtp?: Record<string, unknown>;
  mail?: Record<string, unknown>;
  outboxDir?: string;
  channel?: SmtpChannelOptions;
}): Promise<Rig> {
  const outboxDir = options.outboxDir ?? join(await mkdtemp(join(tmpdir(), 'sb-smtpd-')), 'outbox');
  const raw = {
    filters: {
      pinAndShortcuts: { passwords: [PASSWORD], shortcuts: { 'who am i': '.s echo shortcut' } },
    },
    apps: { shell: { unrestricted: true } },
    mail: {
      smtp: { host: '127.0.0.1', port: options.relayPort, secure: false },
      from: OUR_ADDRESS,
      outbox: outboxDir,
      retry: { initialSec: 0.2, maxHours: 1 },
      ...options.mail,
    },
    smtp: {
      listen: '127.0.0.1:0',
      myDomains: [MY_DOMAIN],
      forwardTo: [OWNER],
      // Tests send many mails from 127.0.0.1; the rate-limit test sets its own.
      rateLimit: { requests: 1000, perSec: 1 },
      timeoutSec: 10,
      ...options.smtp,
    },
  };
  const loaded = createConfigLoader(APPS).parse(JSON.stringify(raw), { env: {} });
  if (!loaded.ok) throw new Error(`test config: ${loaded.errors.join('; ')}`);
  const logs: Record<string, unknown>[] = [];
  const services = createServices(loaded.config, {
    logDestination: {
      write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>),
    },
    logLevel: 'debug',
  });
  await services.outbox.start();
  const runtime = new PipelineRuntime(new Pipeline({ config: loaded.config, services }), services);
  let channel: SmtpChannelHandle;
  try {
    channel = await startSmtpChannel(runtime, { closeTimeoutMs: 500, ...options.channel });
  } catch (err) {
    await services.outbox.stop();
    throw err;
  }
  return {
    channel,
    services,
    logs,
    outboxDir,
    close: async () => {
      await channel.close();
      await services.outbox.stop();
    },
  };
}

/** What swaks printed and how it exited. */
export interface SwaksRun {
  readonly code: number;
  /** The whole transcript: `<-` lines are the server's replies, `<**` its refusals. */
  readonly transcript: string;
}

/** A mail for swaks: either swaks builds it (headers + body) or `data` is the whole message. */
export interface SwaksMail {
  readonly port: number;
  readonly to?: string;
  readonly from?: string;
  readonly headers?: readonly string[];
  readonly body?: string;
  readonly data?: string;
  readonly extra?: readonly string[];
}

/** Sends one mail with swaks; never rejects on an SMTP refusal (check `code` and `transcript`). */
export async function swaks(mail: SwaksMail): Promise<SwaksRun> {
  const args = [
    '--server',
    '127.0.0.1',
    '--port',
    String(mail.port),
    '--from',
    mail.from ?? 'alice@example.org',
    '--to',
    mail.to ?? `me@${MY_DOMAIN}`,
    '--helo',
    'client.example.org',
    '--timeout',
    '15',
    ...(mail.extra ?? []),
  ];
  if (mail.data !== undefined) {
    const file = join(await mkdtemp(join(tmpdir(), 'sb-swaks-')), 'mail.eml');
    await writeFile(file, mail.data);
    args.push('--data', `@${file}`);
  } else {
    for (const header of mail.headers ?? []) args.push('--header', header);
    if (mail.body !== undefined) args.push('--body', mail.body);
  }
  return new Promise((resolve, reject) => {
    execFile('swaks', args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err !== null && typeof err.code !== 'number') {
        reject(new Error(`swaks did not run: ${err.message}`));
        return;
      }
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, transcript: stdout + stderr });
    });
  });
}
