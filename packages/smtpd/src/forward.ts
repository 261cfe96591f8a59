/**
 * Forwarding of mail without a command, DMARC-safe: the forward is From our own address (so
 * our relay's SPF and DKIM align), Reply-To the original sender (so answering it reaches them),
 * keeps the subject, and carries the untouched original as a message/rfc822 attachment.
 */
import type { OutgoingMail } from '@switchboard/core';
import { formatMailbox, safeDisplayName } from './addresses.js';
import type { IncomingMail } from './incoming-mail.js';
import { LOOP_HEADER } from './loop-guard.js';

/** Where and how a mail reached us, for the forward's summary. */
export interface Arrival {
  readonly remoteAddress: string;
  readonly heloName: string;
  /** The envelope sender ('' for a bounce: RFC 5321 null reverse-path). */
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  readonly secure: boolean;
}

/** The forward body quotes at most this much of the original text; the attachment has it all. */
const MAX_QUOTED_TEXT_CHARS = 100_000;

/** The forward of `raw` to `forwardTo`. */
export function forwardMail(options: {
  readonly incoming: IncomingMail;
  readonly raw: Buffer;
  readonly arrival: Arrival;
  readonly forwardTo: readonly string[];
  readonly ourAddress: string;
  readonly loopToken: string;
}): OutgoingMail {
  const { incoming, raw, arrival, ourAddress } = options;
  const sender = incoming.replyTo ?? incoming.from;
  const senderName = incoming.from?.name ?? '';
  const displayName = safeDisplayName(senderName || incoming.from?.address || arrival.mailFrom);
  return {
    to: [...options.forwardTo],
    from: formatMailbox(
      displayName === '' ? 'Switchboard' : `${displayName} via Switchboard`,
      ourAddress,
    ),
    ...(sender === undefined ? {} : { replyTo: formatMailbox(sender.name, sender.address) }),
    subject: incoming.subject,
    text: forwardText(incoming, arrival),
    headers: {
      [LOOP_HEADER]: options.loopToken,
      // RFC 3834 §5: machine-generated, so the recipient's vacation responder does not answer.
      'Auto-Submitted': 'auto-generated',
    },
    attachments: [
      {
        filename: 'original.eml',
        contentType: 'message/rfc822',
        contentBase64: raw.toString('base64'),
      },
    ],
  };
}

function forwardText(incoming: IncomingMail, arrival: Arrival): string {
  const from =
    incoming.from === undefined
      ? '(none)'
      : formatMailbox(incoming.from.name, incoming.from.address);
  const lines = [
    'Switchboard forwarded this mail; the original is attached. Reply to answer the sender.',
    '',
    `From: ${from}`,
    ...(incoming.replyTo === undefined
      ? []
      : [`Reply-To: ${formatMailbox(incoming.replyTo.name, incoming.replyTo.address)}`]),
    `To: ${incoming.toText || arrival.rcptTo.join(', ')}`,
    ...(incoming.date === undefined ? [] : [`Date: ${incoming.date.toUTCString()}`]),
    `Subject: ${incoming.subject}`,
    `Received from: ${arrival.remoteAddress} (HELO ${arrival.heloName || '?'})` +
      `${arrival.secure ? ' over TLS' : ''}, envelope <${arrival.mailFrom}> to ` +
      arrival.rcptTo.map((r) => `<${r}>`).join(', '),
    '',
    '-----',
    '',
  ];
  const text = incoming.text;
  const quoted =
    text.length > MAX_QUOTED_TEXT_CHARS
      ? `${text.slice(0, MAX_QUOTED_TEXT_CHARS)}\n[… cut here; the whole mail is attached]`
      : text;
  return lines.join('\n') + quoted;
}
