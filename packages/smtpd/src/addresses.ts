/**
 * Address helpers: which recipients are ours, and how to write a mailbox into a header without
 * letting a sender's display name inject anything.
 */
import type { AddressObject } from 'mailparser';

/** One mailbox: display name (may be empty) and address. */
export interface Mailbox {
  readonly name: string;
  readonly address: string;
}

/** A plain `local@domain` with nothing a header or an SMTP command line could trip over. */
const PLAIN_ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

/** The domain of an address, lower-cased (RFC 5321 §2.4: domains are case-insensitive). */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return undefined;
  return address.slice(at + 1).toLowerCase();
}

/**
 * Whether a RCPT address is one of ours: its domain is exactly one of `myDomains`, or it is the
 * bare `postmaster` that RFC 5321 §4.5.1 requires every server to accept.
 */
export function isOurRecipient(address: string, myDomains: readonly string[]): boolean {
  if (address.toLowerCase() === 'postmaster') return true;
  const domain = domainOf(address);
  return domain !== undefined && myDomains.some((d) => d.toLowerCase() === domain);
}

/** Whether `address` is a plain single address we may hand to the outbox as a recipient. */
export function isPlainAddress(address: string): boolean {
  return PLAIN_ADDRESS.test(address);
}

/** The first mailbox of a parsed address header (groups flattened), if it has a plain address. */
export function firstMailbox(
  header: AddressObject | AddressObject[] | undefined,
): Mailbox | undefined {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const object of objects) {
    for (const entry of object.value) {
      for (const box of entry.group ?? [entry]) {
        if (box.address !== undefined && isPlainAddress(box.address)) {
          return { name: box.name, address: box.address };
        }
      }
    }
  }
  return undefined;
}

/** A display name made safe for a quoted-string: no quotes, backslashes, brackets or controls. */
export function safeDisplayName(name: string, maxChars = 64): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f"\\<>]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // Cut by code points, so a surrogate pair is never split in two.
  return Array.from(cleaned).slice(0, maxChars).join('');
}

/** `"Name" <address>`, or the bare address when there is no name. */
export function formatMailbox(name: string, address: string): string {
  const safe = safeDisplayName(name);
  return safe === '' ? address : `"${safe}" <${address}>`;
}
