/** Why one feed gave no items: a one-line reason, shown after its name (never a secret). */
export class FeedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'FeedError';
  }
}
