/**
 * Reads a received message into the few fields the channel acts on. mailparser does the MIME
 * work: the text part is decoded, and an HTML-only mail gets its text rendering.
 */
import type { HeaderValue, ParsedMail } from 'mailparser';
import { firstMailbox, type Mailbox } from './addresses.js';

/** What the channel needs to know about one received message. */
export interface IncomingMail {
  readonly subject: string;
  /** The text part, or the HTML part rendered as text; '' when neither exists. */
  readonly text: string;
  readonly from?: Mailbox;
  readonly replyTo?: Mailbox;
  /** Angle brackets included, as in the header. */
  readonly messageId?: string;
  readonly references: readonly string[];
  /** The To header as text, for the forward's summary. */
  readonly toText: string;
  readonly date?: Date;
  /** Values of every X-Switchboard-Loop header. */
  readonly loopTokens: readonly string[];
  /** How many Received headers the message has. */
  readonly receivedHops: number;
}

/** HTML beyond this is not rendered to text: html-to-text is slow on huge documents. */
const MAX_HTML_TO_TEXT_CHARS = 1_000_000;

/**
 * Parses a raw message. mailparser is lenient: garbage yields empty fields, not an error. It is
 * loaded with the first mail (about 20 MiB of resident memory a mail-less daemon never needs).
 */
export async function readIncomingMail(raw: Buffer): Promise<IncomingMail> {
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw, {
    // A mail's own text only: an attached message/rfc822 (e.g. an old command mail forwarded
    // as an attachment) must not run, so embedded messages stay attachments.
    ignoreEmbedded: true,
    maxHtmlLengthToParse: MAX_HTML_TO_TEXT_CHARS,
    skipTextToHtml: true,
    skipImageLinks: true,
    checksumAlgo: false,
  });
  const from = firstMailbox(parsed.from);
  const replyTo = firstMailbox(parsed.replyTo);
  return {
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    ...(from === undefined ? {} : { from }),
    ...(replyTo === undefined ? {} : { replyTo }),
    ...(parsed.messageId === undefined ? {} : { messageId: parsed.messageId }),
    references: toList(parsed.references),
    toText: addressText(parsed),
    ...(parsed.date === undefined ? {} : { date: parsed.date }),
    loopTokens: stringValues(parsed.headers.get('x-switchboard-loop')),
    receivedHops: stringValues(parsed.headers.get('received')).length,
  };
}

function toList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/).filter((id) => id !== '');
}

function addressText(parsed: ParsedMail): string {
  const to = parsed.to;
  if (to === undefined) return '';
  return (Array.isArray(to) ? to : [to]).map((object) => object.text).join(', ');
}

/** A header's values when they are plain strings (repeated headers become arrays). */
function stringValues(value: HeaderValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
