import { bucketStart, dayOpenOf, summarizeEquity, utcDayStart } from '../../shared/equity-math';
import { equityResolutionMs, equityResolutions, type EquityHistory, type EquityHistoryQuery, type EquityResolution } from '../../shared/schema/equity';
import type { EquityArchive } from '../persist/equity-archive';

/** What choosing a resolution needs to know of the stored history. */
export interface ResolutionQuery {
  limit: number;
  /** Whether a resolution still holds every sample of the range (none was pruned by age). */
  holdsRange: (resolution: EquityResolution) => boolean;
  /** Buckets of a resolution within the range. */
  count: (resolution: EquityResolution) => number;
}

/**
 * The finest resolution that still holds the whole range and whose buckets in it fit in `limit`;
 * else the coarsest, whose newest `limit` buckets are answered (`truncated`).
 */
export function pickResolution(query: ResolutionQuery): { resolution: EquityResolution; truncated: boolean } {
  const { limit } = query;
  for (const resolution of equityResolutions) {
    if (query.holdsRange(resolution) && query.count(resolution) <= limit) return { resolution, truncated: false };
  }
  const coarsest = equityResolutions[equityResolutions.length - 1]!;
  return { resolution: coarsest, truncated: query.count(coarsest) > limit };
}

/** Answers `market.equityHistory` from the archive (no archive, a desk in memory only: no history). */
export function readEquityHistory(archive: EquityArchive | null, input: EquityHistoryQuery, now: number): EquityHistory {
  const to = input.to ?? now;
  const dayStart = utcDayStart(to);
  if (!archive) return { resolution: input.resolution === 'auto' ? '1s' : input.resolution, points: [], to, truncated: false, dayStart, dayOpen: null, summary: summarizeEquity([], null) };
  const from = input.from ?? 0;
  const count = (resolution: EquityResolution) => archive.count(resolution, from, to);
  const { resolution, truncated } =
    input.resolution === 'auto'
      ? pickResolution({ limit: input.limit, count, holdsRange: (r) => holdsRange(archive, r, from, to, now) })
      : { resolution: input.resolution, truncated: count(input.resolution) > input.limit };
  const points = archive.range(resolution, from, to, input.limit);
  const dayOpen = dayOpenOf(archive.aroundDayStart(dayStart).filter((p) => p.ts <= to), dayStart);
  return { resolution, points, to, truncated, dayStart, dayOpen, summary: summarizeEquity(points, dayOpen) };
}

/**
 * Whether `resolution` holds every sample of [from, to]: within its retention, or (a range reaching
 * back further, maybe to before the desk's first sample) as many samples as the coarsest holds over
 * the coarsest's buckets around the range. Every sample goes into a bucket of each resolution, so
 * the counts differ exactly when buckets of the finer one were pruned.
 */
function holdsRange(archive: EquityArchive, resolution: EquityResolution, from: number, to: number, now: number): boolean {
  const keep = archive.retention[resolution];
  if (keep === 0 || from >= now - keep) return true;
  const coarsest = equityResolutions[equityResolutions.length - 1]!;
  const start = bucketStart(from, coarsest);
  const end = bucketStart(to, coarsest) + equityResolutionMs[coarsest] - 1;
  return archive.samples(resolution, start, end) === archive.samples(coarsest, start, end);
}
