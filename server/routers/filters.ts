import { severityRank, type Severity } from '../../shared/schema/common';
import { allOf, equalTo, inSet, matchAll, type Filter } from '../hub/filter';

/** Filters by `symbol in symbols`. */
export function bySymbols<T extends { symbol: string }>(input: { symbols?: string[] }): Filter<T> {
  return allOf<T>([inSet('symbols', input.symbols, (item) => item.symbol)]);
}

/** Filters to one symbol's bars of one interval. */
export function bySymbolAndInterval<T extends { symbol: string; interval: string }>(input: { symbol: string; interval: string }): Filter<T> {
  return allOf<T>([equalTo('symbol', input.symbol, (item) => item.symbol), equalTo('interval', input.interval, (item) => item.interval)]);
}

/** Filters by agent and symbols (decisions, trades). */
export function byAgentAndSymbols<T extends { symbol: string; agentId: string | null }>(input: {
  agentId?: string;
  symbols?: string[];
}): Filter<T> {
  return allOf<T>([equalTo('agentId', input.agentId, (item) => item.agentId), inSet('symbols', input.symbols, (item) => item.symbol)]);
}

/** Filters to items at least as severe as `minSeverity`. */
export function atLeast(minSeverity: Severity | undefined) {
  if (minSeverity === undefined) return null;
  const floor = severityRank[minSeverity];
  return ['minSeverity', minSeverity, (item: { severity: Severity }) => severityRank[item.severity] >= floor] as [
    string,
    unknown,
    (item: { severity: Severity }) => boolean,
  ];
}

export const everything = <T>() => matchAll as Filter<T>;

/** Filters to items at least as severe as `minSeverity` (notifications, system alerts). */
export function byMinSeverity<T extends { severity: Severity }>(input: { minSeverity?: Severity }): Filter<T> {
  return allOf<T>([atLeast(input.minSeverity)]);
}

/** Filters custom events by `type`. */
export function byType<T extends { type: string }>(input: { type?: string }): Filter<T> {
  return allOf<T>([equalTo('type', input.type, (e) => e.type)]);
}

/** Filters metric samples by `name`. */
export function byName<T extends { name: string }>(input: { name?: string }): Filter<T> {
  return allOf<T>([equalTo('name', input.name, (m) => m.name)]);
}

/** Filters memory events: one agent's, carrying any of `tags`, at least `minImportance` important. */
export function byMemory<T extends { agentId: string; tags: string[]; importance: number }>(input: {
  agentId?: string;
  tags?: string[];
  minImportance?: number;
}): Filter<T> {
  const tags = input.tags && input.tags.length > 0 ? new Set(input.tags) : null;
  const min = input.minImportance;
  return allOf<T>([
    equalTo('agentId', input.agentId, (item) => item.agentId),
    tags ? ['tags', [...tags].sort(), (item: T) => item.tags.some((tag) => tags.has(tag))] : null,
    // 0 keeps everything: left out, so it shares the unfiltered group.
    min !== undefined && min > 0 ? ['minImportance', min, (item: T) => item.importance >= min] : null,
  ]);
}
