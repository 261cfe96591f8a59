/**
 * The answer to a command mail: to the sender (Reply-To, else From), `Re: <subject>`, threaded
 * under the command mail (RFC 5322 §3.6.4), with the command's combined output as the body.
 */
import type { OutgoingMail, Result } from '@switchboard/core';
import { LOOP_HEADER } from './loop-guard.js';
import type { IncomingMail } from './incoming-mail.js';

/** A long thread's References are trimmed to the newest ids (RFC 5322 §3.6.4 allows it). */
const MAX_REFERENCES = 20;

/** `Re: <subject>`, without stacking a second `Re:` on a subject that already has one. */
export function replySubject(subject: string): string {
  const trimmed = subject.trim();
  if (/^re:/i.test(trimmed)) return trimmed;
  return trimmed === '' ? 'Re:' : `Re: ${trimmed}`;
}

/** The reply mail to `to` for a command mail and its result. */
export function commandReply(
  incoming: IncomingMail,
  to: string,
  result: Result,
  ours: { readonly address: string; readonly loopToken: string },
): OutgoingMail {
  const id = incoming.messageId;
  const references = id === undefined ? incoming.references : [...incoming.references, id];
  return {
    to: [to],
    // Explicit rather than the outbox's default, so a reload that changes mail.from applies.
    from: ours.address,
    subject: replySubject(incoming.subject),
    text: result.combinedOutput,
    // A chart (`.e chart`) goes along as a file; the outbox keeps it as base64.
    ...(result.attachment === undefined
      ? {}
      : {
          attachments: [
            {
              filename: result.attachment.filename,
              contentType: result.attachment.contentType,
              contentBase64: result.attachment.content.toString('base64'),
            },
          ],
        }),
    ...(id === undefined ? {} : { inReplyTo: id }),
    ...(references.length === 0 ? {} : { references: references.slice(-MAX_REFERENCES) }),
    headers: {
      [LOOP_HEADER]: ours.loopToken,
      // RFC 3834 §5: an automatic reply, so the sender's own auto-responder stays quiet.
      'Auto-Submitted': 'auto-replied',
    },
  };
}
