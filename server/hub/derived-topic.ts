import { structuralEqual } from './change-detector';

/**
 * An instance-local value derived from the desk, such as health or stats: the newest reading only.
 * A reading is not an event of the desk, so it takes no event id (ids stay a function of the
 * desk's real changes, the same on every instance), is not journaled and has nothing to resume:
 * a subscriber gets the current reading, then each new one that really differs. With no id there
 * is nothing a cache or a client could wrongly take for "the same content".
 */
export class DerivedTopic<T> {
  readonly name: string;
  private value: T | undefined;
  private readonly listeners = new Set<(value: T) => void>();
  /** Takes a fresh reading; set by whoever owns what the value derives from (`server/app.ts`). */
  read: (() => T) | null = null;

  constructor(name: string) {
    this.name = name;
  }

  /** The newest reading published; undefined before the first. */
  get current(): T | undefined {
    return this.value;
  }

  /** Publishes a reading; subscribers get it only when it differs structurally. Returns whether it did. */
  publish(value: T): boolean {
    if (this.value !== undefined && structuralEqual(this.value, value)) return false;
    this.value = value;
    for (const listener of this.listeners) listener(value);
    return true;
  }

  /** Takes a fresh reading with `read`, publishes it, and returns the current value. */
  refresh(): T | undefined {
    if (this.read) this.publish(this.read());
    return this.value;
  }

  /** Calls `listener` with every new reading until the returned function is called. */
  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
