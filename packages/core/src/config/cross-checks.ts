/**
 * Rules that JSON Schema cannot express: keys that depend on other keys. They read the file
 * after defaults but do not trust its types, so they can run even when the schema found
 * problems and every problem is reported in one go.
 */
import { isIP } from 'node:net';
import { CHANNELS } from '../command.js';
import { formatPath, isPlainObject, type PathSegment } from './json-path.js';
import { checkTools } from './tools-checks.js';

const NEEDS_RELAY = 'needs mail.smtp to send mail';
const TRUST_PROXY_EXPECT = 'must be an IP address, a CIDR range or "loopback"';

/** Every cross-key problem of a config (after applyDefaults), as `path: message` lines. */
export function crossCheck(config: Readonly<Record<string, unknown>>): string[] {
  const errors: string[] = [];
  const hasRelay = isPlainObject(at(config, 'mail', 'smtp'));
  const enabled = (name: string): boolean => {
    const block = config[name];
    return isPlainObject(block) && block.enabled !== false;
  };

  checkFilters(config.filters, ['filters'], !hasRelay, errors);
  for (const channel of CHANNELS) {
    const block = config[channel];
    if (!isPlainObject(block)) continue;
    // A disabled block may hold a draft: only its passwords are checked, not its mail needs.
    checkFilters(block.filters, [channel, 'filters'], !hasRelay && enabled(channel), errors);
  }

  const smtp = config.smtp;
  if (isPlainObject(smtp) && enabled('smtp')) {
    if (Array.isArray(smtp.myDomains) && smtp.myDomains.length === 0) {
      errors.push('smtp.myDomains: must list at least one domain to accept mail for');
    }
    if (Array.isArray(smtp.forwardTo) && smtp.forwardTo.length > 0 && !hasRelay) {
      errors.push(`smtp.forwardTo: ${NEEDS_RELAY}`);
    }
  }

  // Secrets are required even in a disabled block, so the loaded types never lie.
  const telegram = config.telegram;
  if (isPlainObject(telegram)) {
    if (telegram.token === undefined) errors.push('telegram.token: is required');
    if (telegram.webhook !== undefined && enabled('telegram') && !enabled('http')) {
      errors.push('telegram.webhook: needs the http channel, which serves the webhook');
    }
  }
  const twilio = config.twilio;
  if (isPlainObject(twilio)) {
    if (twilio.authToken === undefined) errors.push('twilio.authToken: is required');
    if (twilio.publicUrl === undefined) errors.push('twilio.publicUrl: is required');
    if (enabled('twilio') && !enabled('http')) {
      errors.push('twilio: needs the http channel, which serves the twilio webhooks');
    }
  }

  if (at(config, 'state', 'store') === 'redis' && !isPlainObject(at(config, 'state', 'redis'))) {
    errors.push('state.redis.url: is required when state.store is "redis"');
  }
  checkMonitor(config.monitor, hasRelay, enabled('telegram'), errors);
  checkTrustProxy(at(config, 'http', 'trustProxy'), errors);
  checkListenClash(config, enabled, errors);
  errors.push(...checkTools(config));
  return errors;
}

/** Repeated passwords, and notification recipients without a relay. */
function checkFilters(
  filters: unknown,
  path: PathSegment[],
  relayMissing: boolean,
  errors: string[],
): void {
  const passwords = at(filters, 'pinAndShortcuts', 'passwords');
  if (Array.isArray(passwords)) {
    const first = new Map<unknown, number>();
    passwords.forEach((password: unknown, i) => {
      const earlier = first.get(password);
      // Never print the password itself: messages end up in logs.
      if (earlier === undefined) first.set(password, i);
      else {
        const where = formatPath([...path, 'pinAndShortcuts', 'passwords', i]);
        errors.push(`${where}: repeats passwords[${earlier}]`);
      }
    });
  }
  const recipients = at(filters, 'notifyViaEmail', 'recipients');
  if (relayMissing && Array.isArray(recipients) && recipients.length > 0) {
    errors.push(`${formatPath([...path, 'notifyViaEmail', 'recipients'])}: ${NEEDS_RELAY}`);
  }
}

/** Most samples the monitor's ring may hold: about 3 MiB, a day at one a second. */
export const MAX_MONITOR_SAMPLES = 86_400;

/** Alerts need a way out, and the history a bound. */
function checkMonitor(
  monitor: unknown,
  hasRelay: boolean,
  telegramOn: boolean,
  errors: string[],
): void {
  if (!isPlainObject(monitor)) return;
  const chats = at(monitor, 'notify', 'telegramChatIds');
  if (Array.isArray(chats) && chats.length > 0 && !telegramOn) {
    errors.push('monitor.notify.telegramChatIds: needs the telegram channel, which sends them');
  }
  const mail = at(monitor, 'notify', 'mail');
  if (Array.isArray(mail) && mail.length > 0 && !hasRelay) {
    errors.push(`monitor.notify.mail: ${NEEDS_RELAY}`);
  }
  const { intervalSec, historyHours } = monitor;
  // A non-positive interval is the schema's to report.
  if (typeof intervalSec === 'number' && intervalSec > 0 && typeof historyHours === 'number') {
    const samples = Math.ceil((historyHours * 3600) / intervalSec);
    if (samples > MAX_MONITOR_SAMPLES) {
      errors.push(
        `monitor.historyHours: ${historyHours} h at one sample every ${intervalSec} s is ${samples} samples, ` +
          `over ${MAX_MONITOR_SAMPLES}; raise monitor.intervalSec or lower monitor.historyHours`,
      );
    }
  }
}

/** The schema's pattern lets `1.2.3` through; node:net knows what an IP address is. */
function checkTrustProxy(list: unknown, errors: string[]): void {
  if (!Array.isArray(list)) return;
  list.forEach((entry: unknown, i) => {
    if (typeof entry !== 'string' || /^[a-z]+$/.test(entry)) return;
    const [address = '', prefix] = entry.split('/');
    const version = isIP(address);
    const maxPrefix = version === 4 ? 32 : 128;
    const badPrefix =
      prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (version === 0 || badPrefix) errors.push(`http.trustProxy[${i}]: ${TRUST_PROXY_EXPECT}`);
  });
}

/** Two enabled channels on one address would fail at start-up with EADDRINUSE; say it now. */
function checkListenClash(
  config: Readonly<Record<string, unknown>>,
  enabled: (name: string) => boolean,
  errors: string[],
): void {
  const http = at(config, 'http', 'listen');
  const smtp = at(config, 'smtp', 'listen');
  if (typeof http !== 'string' || http !== smtp || !enabled('http') || !enabled('smtp')) return;
  if (http.endsWith(':0')) return;
  errors.push(`smtp.listen: ${smtp} is already used by http.listen`);
}

/** The value at a path of plain objects, or undefined when any step is missing. */
function at(value: unknown, ...keys: string[]): unknown {
  let node = value;
  for (const key of keys) node = isPlainObject(node) ? node[key] : undefined;
  return node;
}
