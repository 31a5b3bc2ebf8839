/** The desk's zod schemas (`@livedesk/client/schema`): items, mutation inputs, stream options. */
export * from './common.js';
export * from './market.js';
export * from './agents.js';
export * from './agent-commands.js';
export * from './memory.js';
export * from './agent-stats.js';
export * from './presence.js';
export * from './feeds.js';
export * from './json-bounds.js';
export * from './system.js';
export * from './stream.js';
export * from './candles.js';
export * from './replay.js';
export * from './history.js';
export * from './equity.js';
