/**
 * A list of sources a setting lets through (`maintenance.allow`, a named command's or an API
 * key's `sources`): IP addresses and CIDR ranges, matched with node:net's BlockList, and, for
 * the channels whose sources are not addresses, exact phone numbers or Telegram chat ids.
 */
import { BlockList, isIP } from 'node:net';

/** What a `sources` entry must be, for config errors. */
export const SOURCE_ENTRY_EXPECT =
  'must be an IP address, a CIDR range, a phone number (+15551234567) or a Telegram chat id';

/** Phone numbers (E.164, as Twilio sends them) and chat ids (negative for groups). */
const LITERAL = /^(?:\+\d{4,15}|-?\d{1,20})$/;

/** IPv4 clients of a dual-stack socket show as `::ffff:1.2.3.4`. */
const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Whether `entry` is an IP, a CIDR with a prefix that fits its family, or a literal source. */
export function isSourceEntry(entry: string): boolean {
  return parseEntry(entry) !== undefined;
}

/** The compiled list; build it once per config. */
export class SourceList {
  readonly #blocks = new BlockList();
  readonly #literals = new Set<string>();
  readonly size: number;

  /** Entries that are not valid (see isSourceEntry) are ignored: the config check names them. */
  constructor(entries: readonly string[]) {
    this.size = entries.length;
    for (const entry of entries) {
      const parsed = parseEntry(entry);
      if (parsed === undefined) continue;
      if (parsed.kind === 'literal') this.#literals.add(entry);
      else if (parsed.prefix === undefined) this.#blocks.addAddress(parsed.address, parsed.family);
      else this.#blocks.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  /** Whether the source (as a channel knows it) is on the list. */
  has(source: string): boolean {
    if (this.#literals.has(source)) return true;
    const address = MAPPED_V4.exec(source)?.[1] ?? source;
    const version = isIP(address);
    if (version === 0) return false;
    return this.#blocks.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}

type Entry =
  | { readonly kind: 'literal' }
  | {
      readonly kind: 'address';
      readonly address: string;
      readonly family: 'ipv4' | 'ipv6';
      readonly prefix?: number;
    };

function parseEntry(entry: string): Entry | undefined {
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return LITERAL.test(entry) ? { kind: 'literal' } : undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (slash < 0) return { kind: 'address', address, family };
  const prefixText = entry.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (version === 4 ? 32 : 128)) return undefined;
  return { kind: 'address', address, family, prefix };
}
