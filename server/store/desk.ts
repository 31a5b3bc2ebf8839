import { Hub, type HubOptions } from '../hub/hub';
import { Activity, type ActivityOptions } from './activity';
import { Market, type MarketOptions } from './market';
import { MetricsBuffer, type MetricsBufferOptions } from './metrics-buffer';
import { declareTopics } from './topics';

export interface DeskOptions {
  hub?: HubOptions;
  market?: MarketOptions;
  activity?: ActivityOptions;
  metrics?: MetricsBufferOptions;
}

/** The desk's state: one hub, its topics, and the stores that write to them. */
export function createDesk(options: DeskOptions = {}) {
  const hub = new Hub(options.hub);
  const topics = declareTopics(hub);
  const market = new Market(hub, topics, options.market);
  const activity = new Activity(hub, topics, market, options.activity);
  const metrics = new MetricsBuffer(hub, topics.metrics, options.metrics);
  return { hub, topics, market, activity, metrics };
}

export type Desk = ReturnType<typeof createDesk>;
