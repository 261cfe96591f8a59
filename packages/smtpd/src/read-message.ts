/**
 * Reads the DATA stream into memory up to the size limit. The stream is always read to its
 * end, even past the limit: smtp-server answers only once it has ended, and an undrained
 * stream would leave the client waiting for a reply that never comes.
 */
import type { SMTPServerDataStream } from 'smtp-server';

/** The message, or the fact that it was too big (its bytes are then discarded). */
export type ReadResult =
  | { readonly tooBig: false; readonly raw: Buffer }
  | { readonly tooBig: true; readonly bytes: number };

/** Reads `stream` to its end, keeping at most `maxBytes`. */
export function readMessage(stream: SMTPServerDataStream, maxBytes: number): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      // Past the limit keep draining, but stop holding memory.
      if (bytes <= maxBytes) chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => {
      // smtp-server sets sizeExceeded from its own count (the `size` option); ours backs it up.
      if (stream.sizeExceeded || bytes > maxBytes) resolve({ tooBig: true, bytes });
      else resolve({ tooBig: false, raw: Buffer.concat(chunks, bytes) });
    });
  });
}
