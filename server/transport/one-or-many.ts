/**
 * A map for the common case of one entry: the first lives in two fields, a `Map` is made only for
 * a second. A connection holds one subscription far more often than two, and an empty `Map` with
 * its table is ~270 bytes on the heap.
 */
export class OneOrMany<K, V> {
  private key: K | undefined = undefined;
  private value: V | undefined = undefined;
  private has1 = false;
  private many: Map<K, V> | null = null;

  get(key: K): V | undefined {
    if (this.many !== null) return this.many.get(key);
    return this.has1 && this.key === key ? this.value : undefined;
  }

  has(key: K): boolean {
    if (this.many !== null) return this.many.has(key);
    return this.has1 && this.key === key;
  }

  set(key: K, value: V): void {
    if (this.many !== null) {
      this.many.set(key, value);
    } else if (!this.has1 || this.key === key) {
      this.key = key;
      this.value = value;
      this.has1 = true;
    } else {
      this.many = new Map([[this.key as K, this.value as V], [key, value]]);
      this.key = undefined;
      this.value = undefined;
      this.has1 = false;
    }
  }

  delete(key: K): boolean {
    if (this.many !== null) return this.many.delete(key);
    if (!this.has1 || this.key !== key) return false;
    this.key = undefined;
    this.value = undefined;
    this.has1 = false;
    return true;
  }

  get size(): number {
    return this.many !== null ? this.many.size : this.has1 ? 1 : 0;
  }

  /** The values, in insertion order (a snapshot: deleting while iterating is safe). */
  values(): V[] {
    if (this.many !== null) return [...this.many.values()];
    return this.has1 ? [this.value as V] : [];
  }
}
