import type { Desk } from '../../store/desk';
import type { Delivered } from './client';
import type { Settings } from './commands';
import type { DiskState } from './disk';

/** Where a desk under test is driven from: mutations and subscriptions as a client sends them. */
export interface DeskTarget {
  readonly desk: Desk;
  mutate(path: string, input: unknown): Promise<unknown>;
  /** Subscribes; every message goes to `onData`. Returns a function that ends the subscription. */
  subscribe(path: string, input: Record<string, unknown>, onData: (message: Delivered) => void, onError: (error: unknown) => void): () => void;
  /** Lets delivery run until nothing more arrives. */
  settle(): Promise<void>;
  /** Stops the desk: cleanly (pending values written, then closed) or as a crash (`kill -9`). */
  stop(crash: boolean): Promise<void>;
  /** Starts a new desk on the same database. */
  start(): Promise<void>;
  /** Fills the disk the database is on, or frees it (see `fillDisk`). */
  fillDisk(disk: DiskState): void;
  /** True when the client resumes its subscriptions by itself after a restart (tRPC's wsLink). */
  readonly resumesItself: boolean;
  /** Ends the clients (after the last stop). */
  close(): void;
}

/** The desk's options for the model's settings, with a journal at `path`. */
export function deskOptions(settings: Settings, path: string) {
  return {
    hub: { replayCapacity: settings.replayCapacity },
    activity: { finishedLimit: settings.finishedLimit },
    market: { alertsLimit: settings.alertsLimit },
    journal: { path, startId: 1_000_000, retainEvents: settings.retainEvents, retainMs: 0 },
  };
}

