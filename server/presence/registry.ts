import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { PRESENCE_LIST_LIMIT, type ClientKind, type PresenceConnection } from '../../shared/schema/presence';

/** One instance's connections as it reports them: exact counts, a bounded list. */
export interface InstancePresence {
  instance: string | null;
  counts: Record<ClientKind, number>;
  connections: PresenceConnection[];
  /** Every agent id its connections claim (the list above may leave some connections out). */
  agentIds: string[];
}

export interface PresenceRegistryOptions {
  /** Cluster mode: this instance's id, a prefix of every connection id. */
  instance: string | null;
  /** A WebSocket's close is told (`left`) rather than listened for; an SSE stream's still is. @default false */
  socketClosesTold?: boolean;
  /** Something joined or left. */
  onChange?: () => void;
  /** The first open connection claiming this agent id joined. */
  onClaimed?: (agentId: string) => void;
  /** The last open connection claiming this agent id left. */
  onReleased?: (agentId: string) => void;
}

/** What stays open while a client is connected: its WebSocket, or the response of an SSE stream. */
export type PresenceHandle = WebSocket | ServerResponse;

const isClosed = (handle: PresenceHandle) => ('readyState' in handle ? handle.readyState > 1 : handle.destroyed || handle.writableEnded);

/**
 * This instance's open connections (WebSockets, and SSE streams, one per subscription): what each says it is and who its token says it is,
 * and how many connections claim each agent id. A connection leaves when its socket or stream closes.
 */
export class PresenceRegistry {
  private readonly bySocket = new Map<PresenceHandle, PresenceEntry>();
  private readonly claims = new Map<string, number>();
  private readonly counts: Record<ClientKind, number> = { dashboard: 0, agent: 0, script: 0 };
  // One listener shared by every socket, not a closure per connection.
  private readonly onClose: (this: PresenceHandle) => void;
  private readonly Entry: EntryClass;

  constructor(private readonly options: PresenceRegistryOptions) {
    const registry = this;
    this.onClose = function (this: PresenceHandle) {
      registry.leave(this);
    };
    this.Entry = entryClass(options.instance, Date.now());
  }

  /** Records an open connection until its socket or stream closes. */
  join(socket: PresenceHandle, connection: Omit<PresenceConnection, 'instance'>): void {
    if (this.bySocket.has(socket) || isClosed(socket)) return;
    const entry = new this.Entry(
      this.options.instance ? `${this.options.instance}:${connection.id}` : connection.id,
      connection.kind,
      connection.role,
      connection.name,
      connection.agentId,
      connection.address,
      connection.since,
    );
    this.bySocket.set(socket, entry);
    this.counts[entry.kind]++;
    // `on`, not `once`: a close comes once, and `once` wraps the listener in a closure per socket.
    if (!this.options.socketClosesTold || !('readyState' in socket)) socket.on('close', this.onClose);
    if (entry.agentId !== null) {
      const held = this.claims.get(entry.agentId) ?? 0;
      this.claims.set(entry.agentId, held + 1);
      if (held === 0) this.options.onClaimed?.(entry.agentId);
    }
    this.options.onChange?.();
  }

  /** The connection closed (for sockets whose close is told, `socketClosesTold`). */
  left(socket: PresenceHandle): void {
    this.leave(socket);
  }

  private leave(socket: PresenceHandle): void {
    const entry = this.bySocket.get(socket);
    if (!entry) return;
    this.bySocket.delete(socket);
    this.counts[entry.kind]--;
    if (entry.agentId !== null) {
      const held = (this.claims.get(entry.agentId) ?? 1) - 1;
      if (held > 0) this.claims.set(entry.agentId, held);
      else {
        this.claims.delete(entry.agentId);
        this.options.onReleased?.(entry.agentId);
      }
    }
    this.options.onChange?.();
  }

  /** Whether an open connection here claims this agent id. */
  isClaimed(agentId: string): boolean {
    return this.claims.has(agentId);
  }

  /** The agent ids claimed by open connections here. */
  claimedAgents(): string[] {
    return [...this.claims.keys()];
  }

  /** This instance's reading: exact counts, the oldest `PRESENCE_LIST_LIMIT` connections. */
  reading(): InstancePresence {
    const connections: PresenceConnection[] = [];
    // Insertion order is connection order: the first ones are the oldest.
    for (const entry of this.bySocket.values()) {
      if (connections.length >= PRESENCE_LIST_LIMIT) break;
      // A plain object, not the entry: its instance and since are getters a spread or a
      // structured clone would drop. Readings are made at most once per publish delay.
      connections.push(entry.toJSON());
    }
    return { instance: this.options.instance, counts: { ...this.counts }, connections, agentIds: this.claimedAgents() };
  }
}

type PresenceEntry = PresenceConnection & { toJSON(): PresenceConnection };

type EntryClass = new (
  id: string,
  kind: ClientKind,
  role: PresenceConnection['role'],
  name: string | null,
  agentId: string | null,
  address: string,
  since: number,
) => PresenceEntry;

/**
 * One registry's connection entries: what `PresenceConnection` lists, with the instance (the same
 * for all) on the class's prototype rather than in each, and `since` kept as whole ms after the
 * registry was made, a small integer rather than a heap number of its own (16 B) beside the entry.
 * `toJSON` writes the fields in the schema's order, as the plain entries were.
 */
function entryClass(instance: string | null, epoch: number): EntryClass {
  return class PresenceEntry implements PresenceConnection {
    private readonly at: number;

    constructor(
      readonly id: string,
      readonly kind: ClientKind,
      readonly role: PresenceConnection['role'],
      readonly name: string | null,
      readonly agentId: string | null,
      readonly address: string,
      since: number,
    ) {
      // `Math.floor` hands back a small integer; the difference itself is a heap number in unoptimized code.
      this.at = Math.floor(since - epoch);
    }

    get instance(): string | null {
      return instance;
    }

    get since(): number {
      return epoch + this.at;
    }

    toJSON(): PresenceConnection {
      return { id: this.id, instance, kind: this.kind, role: this.role, name: this.name, agentId: this.agentId, address: this.address, since: this.since };
    }
  };
}
