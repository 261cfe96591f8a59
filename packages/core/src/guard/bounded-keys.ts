/**
 * Remembers at most `cap` keys in insertion order and reports the oldest to evict, so that a
 * flood of distinct sources cannot grow a table without bound. Touching a key moves it to the
 * end (most recently seen), so active sources are the last to go.
 */
export class BoundedKeys {
  readonly #keys = new Set<string>();
  readonly #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

  /** Records `key` as just seen; returns the keys pushed out by the cap (usually none). */
  touch(key: string): string[] {
    this.#keys.delete(key);
    this.#keys.add(key);
    const evicted: string[] = [];
    for (const oldest of this.#keys) {
      if (this.#keys.size <= this.#cap) break;
      this.#keys.delete(oldest);
      evicted.push(oldest);
    }
    return evicted;
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.#keys.delete(key);
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.#keys.size;
  }
}
