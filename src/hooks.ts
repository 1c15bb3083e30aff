/**
 * @module hooks — a typed list of observers per event name.
 *
 * Producers (rounds, the outbox, the stream driver) emit; observers (metrics, the
 * HTTP surface, tests) subscribe and get a function that unsubscribes. Nobody replaces
 * anybody else's callback, and an observer that throws does not stop the others or
 * the producer.
 */

export type EventMap = Record<string, unknown[]>;

type Observer = (...args: unknown[]) => void;

/** What a producer needs: the right to emit. */
export interface Emitter<E extends EventMap> {
  emit<K extends keyof E>(name: K, ...args: E[K]): void;
}

export class Hooks<E extends EventMap> implements Emitter<E> {
  // Observers of different events have different signatures: stored untyped, typed by on() and emit().
  private readonly lists = new Map<keyof E, Set<Observer>>();

  constructor(private readonly onObserverError: (name: keyof E, error: unknown) => void = () => {}) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof E>(name: K, observer: (...args: E[K]) => void): () => void {
    let list = this.lists.get(name);
    if (list === undefined) this.lists.set(name, (list = new Set()));
    list.add(observer as unknown as Observer);
    return () => {
      list.delete(observer as unknown as Observer);
    };
  }

  emit<K extends keyof E>(name: K, ...args: E[K]): void {
    const list = this.lists.get(name);
    if (list === undefined) return;
    for (const observer of list) {
      try {
        (observer as unknown as (...args: E[K]) => void)(...args);
      } catch (error) {
        this.onObserverError(name, error);
      }
    }
  }
}
