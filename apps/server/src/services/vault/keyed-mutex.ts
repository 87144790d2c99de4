/** Serialises async sections per key (one account's chunk: an upload's publish against collection's delete) within this process. */
export class KeyedMutex {
  private readonly tails = new Map<string | number, Promise<void>>();

  async run<T>(key: string | number, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await section();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
