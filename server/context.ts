import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { Simulator } from './sim/simulator';
import type { Desk } from './store/desk';

/** What every procedure can reach: the desk, the simulator, and its own connection. */
export interface DeskServices {
  desk: Desk;
  sim: Simulator;
  /** Bytes buffered on a connection above which delivery waits and conflates. */
  highWaterMark: number;
  connections: () => number;
}

export interface Context extends DeskServices {
  /** True while this connection's outgoing buffer is over the high-water mark. */
  isCongested: () => boolean;
}

/** Builds `createContext` for both transports from the app's services. */
export function contextFactory(services: DeskServices) {
  return ({ res }: { req: IncomingMessage; res: ServerResponse | WebSocket }): Context => ({
    ...services,
    isCongested:
      'bufferedAmount' in res
        ? () => res.bufferedAmount > services.highWaterMark
        : () => res.writableLength > services.highWaterMark,
  });
}
