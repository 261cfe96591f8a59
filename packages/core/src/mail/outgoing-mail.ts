/** One outgoing message, as written to the outbox (JSON-serialisable). */
export interface OutgoingMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** Defaults to config `mail.from`. */
  readonly from?: string;
  readonly replyTo?: string;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  /** Extra headers, e.g. a loop guard. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly attachments?: readonly {
    readonly filename: string;
    readonly contentType: string;
    /** Base64 of the attachment's bytes. */
    readonly contentBase64: string;
  }[];
}

/** Where every outgoing mail goes first (DESIGN §5): durable, delivered by a worker. */
export interface MailQueue {
  /** Writes the mail to the outbox durably and wakes the worker; resolves to the mail's id. */
  enqueue(mail: OutgoingMail): Promise<string>;
  /** Ids of the mails still queued, oldest first. */
  pending(): Promise<string[]>;
  /** Ids of the mails given up on, oldest first. */
  failed(): Promise<string[]>;
}
