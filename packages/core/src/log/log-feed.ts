/**
 * The live log (DESIGN §13, `GET /api/log`): a pino destination that hands every JSON line to
 * whoever listens now. It keeps nothing: a listener that cannot keep up bounds its own buffer.
 */

/** Called with each JSON line as the logger writes it; must not log (it runs inside a write). */
export type LogListener = (line: string) => void;

/** The listeners of one logger. */
export class LogFeed {
  readonly #listeners = new Set<LogListener>();

  /** pino destination interface: one JSON line per call. */
  write(line: string): void {
    for (const listener of this.#listeners) listener(line);
  }

  /** Adds `listener`; returns the function that removes it. */
  subscribe(listener: LogListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** How many listen now. */
  get size(): number {
    return this.#listeners.size;
  }
}
