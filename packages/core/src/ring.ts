/** A fixed-size ring: pushing past capacity overwrites the oldest, with no array shifting. */
export class Ring<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #next = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Keeps `item`, dropping the oldest once full. */
  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /** The items kept, newest first. */
  newestFirst(): T[] {
    const n = this.#items.length;
    const out: T[] = [];
    for (let i = 1; i <= n; i++) out.push(this.#items[(this.#next - i + n) % n] as T);
    return out;
  }
}
