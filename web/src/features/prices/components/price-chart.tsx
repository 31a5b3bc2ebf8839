import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Candle, CandleInterval } from '../../../../../shared/index';
import type { ChartFocus } from '../../../lib/chart-focus';
import { useSameValue } from '../../../lib/use-same-value';
import type { BarView } from '../bar-window';
import { INTERVAL_MS } from '../candle-bars';
import { barOf, priceLines, tradeMarks } from '../chart-marks';
import { axisLabel, crosshairLabel, type TickKind } from '../chart-time';
import { useCandleSeries } from '../hooks/use-candle-series';
import { useSymbolAlertRules } from '../hooks/use-symbol-alert-rules';
import { useSymbolPosition } from '../hooks/use-symbol-position';
import { useChartTrades } from '../hooks/use-chart-trades';
import { ChartReadout } from './chart-readout';
import './price-chart.css';

interface PriceChartProps {
  symbol: string;
  interval: CandleInterval;
  /** What was last picked to show; a trade of this symbol is scrolled to and highlighted. */
  focus: ChartFocus | undefined;
}

// The dashboard's palette (styles.css): the chart takes colours as values, not CSS variables.
const COLORS = { text: '#8a94a6', grid: '#1f2633', line: '#222a39', up: '#2ecc8f', down: '#ff5d6c', avg: '#4da3ff', alert: '#f5b942', focus: '#f5b942' };
const upVolume = 'rgba(46, 204, 143, 0.35)';
const downVolume = 'rgba(255, 93, 108, 0.35)';
/** Bars from the left edge at which the next older page is asked for. */
const PAGE_AHEAD = 20;
/** Pages a focused trade may page back through to be found (the bars let go at the other end meanwhile). */
const FOCUS_PAGES = 20;
const none: never[] = [];

interface Parts {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  volume: ISeriesApi<'Histogram'>;
  markers: ISeriesMarkersPluginApi<Time>;
  lines: IPriceLine[];
  /** The bars last given to the chart, to send only the newest when only it changed. */
  drawn: readonly Candle[];
  /** True while bars are given: the view moves through states nobody scrolled to. */
  drawing: boolean;
}

const time = (bar: Candle) => (bar.openTime / 1000) as UTCTimestamp;
const candleOf = (bar: Candle) => ({ time: time(bar), open: bar.open, high: bar.high, low: bar.low, close: bar.close });
const volumeOf = (bar: Candle) => ({ time: time(bar), value: bar.volume, color: bar.close >= bar.open ? upVolume : downVolume });

/** Gives the chart `bars`: the newest one alone when only it changed or was added, else all. */
function draw(parts: Parts, bars: readonly Candle[]): void {
  const before = parts.drawn;
  parts.drawn = bars;
  parts.drawing = true;
  try {
    give(parts, before, bars);
  } finally {
    parts.drawing = false;
  }
}

function give(parts: Parts, before: readonly Candle[], bars: readonly Candle[]): void {
  const n = bars.length;
  let onlyNewest = n > 0 && (n === before.length || n === before.length + 1);
  for (let i = 0; onlyNewest && i < n - 1; i++) onlyNewest = bars[i] === before[i];
  if (onlyNewest) {
    parts.candles.update(candleOf(bars[n - 1]!));
    parts.volume.update(volumeOf(bars[n - 1]!));
    return;
  }
  const scale = parts.chart.timeScale();
  // Scrolled back, the bars in view stay in view whatever came or went at either end; at the live
  // edge the chart keeps to the newest bar by itself.
  const range = before.length > 1 ? scale.getVisibleLogicalRange() : null;
  const at = range && range.to < before.length - 1 ? Math.max(0, Math.min(before.length - 1, Math.round(range.from))) : -1;
  const anchor = at >= 0 && range ? { time: before[at]!.openTime, from: range.from - at, width: range.to - range.from } : null;
  parts.candles.setData(bars.map(candleOf));
  parts.volume.setData(bars.map(volumeOf));
  // The first page after at most the live bar: start at the newest bars, not wherever one bar put the view.
  if (before.length <= 1 && n > 1) scale.scrollToRealTime();
  const index = anchor ? indexOf(bars, anchor.time) : -1;
  if (anchor && index >= 0) scale.setVisibleLogicalRange({ from: index + anchor.from, to: index + anchor.from + anchor.width });
}

/** The index of the bar that opened at `time` among `bars` (oldest first), -1 if none did. */
function indexOf(bars: readonly Candle[], time: number): number {
  const open = barOf(bars, time);
  if (open !== time) return -1;
  let lo = 0;
  let hi = bars.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bars[mid]!.openTime < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Candlesticks and volume of one symbol at one interval: the past from `market.candles` (paged
 * back as the user scrolls left), the open bar live, the desk's trades as markers, and lines at
 * the position's average price and each alert threshold. Drawn on canvas: what it shows is also
 * on the host element as data attributes, and the bar under the cursor in words beside it.
 */
export function PriceChart({ symbol, interval, focus }: PriceChartProps) {
  const { series, loadingOlder, error, loadOlder, loadNewer, view, reload, key } = useCandleSeries(symbol, interval);
  const bars = series?.bars ?? none;
  const heldTo = series?.heldTo ?? null;
  const intervalMs = INTERVAL_MS[interval];
  const first = bars[0]?.openTime;
  const end = bars.length > 0 ? bars[bars.length - 1]!.openTime + intervalMs : undefined;
  // Scrolled back past what is held, the trades stop where the bars do.
  const to = heldTo === null ? Infinity : Math.floor(heldTo / intervalMs) * intervalMs + intervalMs;
  // The bars' span changes when a page comes or a bar opens; a new object only then.
  const span = useMemo(() => (first === undefined || end === undefined ? null : { from: first, to, end }), [first, end, to]);
  const { trades, from: marksFrom } = useChartTrades(symbol, intervalMs, span);
  const positions = useSymbolPosition(symbol).data;
  const rules = useSymbolAlertRules(symbol).data ?? none;
  const focused = focus?.trade && focus.trade.symbol === symbol ? focus.trade : null;
  // Kept while they draw the same (the chart redraws whole on \`setMarkers\` and on each price line
  // made): each tick moves the bars and the position, rarely these.
  const marks = useSameValue(useMemo(() => tradeMarks(trades, bars, focused), [trades, bars, focused]));
  const position = positions?.find((p) => p.closedAt === null);
  const lines = useSameValue(useMemo(() => priceLines(symbol, position, rules), [symbol, position, rules]));
  const [hovered, setHovered] = useState<Candle | null>(null);

  const host = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLDivElement>(null);
  const parts = useRef<Parts | null>(null);
  const edge = useRef<() => void>(() => undefined);
  const latest = useRef({ bars, heldTo, loadOlder, loadNewer, view });
  latest.current = { bars, heldTo, loadOlder, loadNewer, view };
  // While a picked trade is paged back to, the view is not where the user looks: the bars are kept at the old end.
  const seeking = useRef(false);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    // Shows the visible span on the host (for tests, and anyone inspecting the page), tells the
    // series where the user looks (it keeps the bars around it), and asks for the next older page
    // when the view nears the oldest bar held, the next newer one near the newest after some were let go.
    const atEdge = () => {
      const range = chart.timeScale().getVisibleLogicalRange();
      const { bars: now, heldTo: cut } = latest.current;
      if (!range || now.length === 0) return;
      const first = now[Math.max(0, Math.min(now.length - 1, Math.ceil(range.from)))];
      const last = now[Math.max(0, Math.min(now.length - 1, Math.floor(range.to)))];
      if (host.current && first && last) {
        host.current.dataset.visibleFrom = String(first.openTime);
        host.current.dataset.visibleTo = String(last.openTime);
      }
      if (first && last && !seeking.current) {
        const where: BarView = cut === null && range.to >= now.length - 1 ? { live: true } : { live: false, from: first.openTime, to: last.openTime };
        latest.current.view(where);
      }
      if (range.from < PAGE_AHEAD) latest.current.loadOlder();
      if (cut !== null && range.to > now.length - 1 - PAGE_AHEAD) latest.current.loadNewer();
    };
    const chart = createChart(el, {
      autoSize: true,
      // The library's own logo brings an inline style the page's CSP refuses; the readout links to
      // TradingView instead, as the library's licence asks.
      layout: { background: { color: 'transparent' }, textColor: COLORS.text, fontFamily: 'ui-monospace, Menlo, Consolas, monospace', attributionLogo: false },
      grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
      rightPriceScale: { borderColor: COLORS.line },
      timeScale: {
        borderColor: COLORS.line,
        timeVisible: true,
        secondsVisible: interval === '1s',
        tickMarkFormatter: (t: Time, kind: number) => axisLabel(t as number, kind as TickKind),
      },
      localization: { timeFormatter: (t: Time) => crosshairLabel(t as number) },
    });
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      borderVisible: false,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
    });
    candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.28 } });
    const volume = chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, priceScaleId: '', lastValueVisible: false, priceLineVisible: false });
    volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    parts.current = { chart, candles, volume, markers: createSeriesMarkers(candles, []), lines: [], drawn: [], drawing: false };

    chart.subscribeCrosshairMove((param) => {
      const t = param.time as number | undefined;
      const { bars: now } = latest.current;
      const open = t === undefined ? undefined : barOf(now, t * 1000);
      setHovered(open === undefined ? null : (now.find((b) => b.openTime === open) ?? null));
    });
    chart.timeScale().subscribeVisibleLogicalRangeChange(() => {
      if (!parts.current?.drawing) atEdge();
    });
    edge.current = atEdge;
    return () => {
      parts.current = null;
      edge.current = () => undefined;
      setHovered(null);
      chart.remove();
    };
    // One chart per symbol and interval: a new one starts at the newest bars.
  }, [key, interval, intervalMs]);

  useEffect(() => {
    if (!parts.current) return;
    draw(parts.current, bars);
    edge.current();
  }, [bars]);

  useEffect(() => {
    parts.current?.markers.setMarkers(
      marks.map((m) => ({
        id: m.id,
        time: m.time as UTCTimestamp,
        position: m.side === 'buy' ? 'belowBar' : 'aboveBar',
        shape: m.side === 'buy' ? 'arrowUp' : 'arrowDown',
        color: m.highlighted ? COLORS.focus : m.side === 'buy' ? COLORS.up : COLORS.down,
        size: m.highlighted ? 2 : 1,
        text: m.text,
      })),
    );
  }, [marks, key]);

  useEffect(() => {
    const p = parts.current;
    if (!p) return;
    for (const line of p.lines) p.candles.removePriceLine(line);
    p.lines = lines.map((l) =>
      p.candles.createPriceLine({ id: l.id, price: l.price, title: l.title, color: l.kind === 'avg' ? COLORS.avg : COLORS.alert, lineWidth: 1, lineStyle: l.kind === 'avg' ? 0 : 2, axisLabelVisible: true }),
    );
  }, [lines, key]);

  // A picked trade: page back until its bar is held, then bring that bar to the middle.
  const picked = useRef({ seq: 0, done: 0, pages: 0 });
  useEffect(() => {
    const p = parts.current;
    const f = picked.current;
    if (!focused || !focus) seeking.current = false;
    // Until the newest page answers, the bars held may be the live one alone.
    if (!p || !focused || !focus || bars.length === 0 || series?.older === undefined) return;
    if (f.seq !== focus.seq) picked.current = { seq: focus.seq, done: f.done, pages: 0 };
    if (picked.current.done === focus.seq) return;
    const ts = trades.find((t) => t.id === focused.tradeId)?.ts ?? focused.ts;
    if (ts < bars[0]!.openTime && typeof series?.older === 'number' && picked.current.pages < FOCUS_PAGES) {
      if (!loadingOlder) {
        picked.current.pages++;
        seeking.current = true;
        view({ live: false, from: bars[0]!.openTime, to: bars[0]!.openTime });
        loadOlder();
      }
      return;
    }
    seeking.current = false;
    picked.current.done = focus.seq;
    const open = barOf(bars, ts);
    const index = open === undefined ? -1 : bars.findIndex((b) => b.openTime === open);
    if (index < 0) return;
    const range = p.chart.timeScale().getVisibleLogicalRange();
    const half = range ? Math.max(10, (range.to - range.from) / 2) : 40;
    p.chart.timeScale().setVisibleLogicalRange({ from: index - half, to: index + half });
  }, [focus, focused, bars, trades, series?.older, loadingOlder, loadOlder, view, intervalMs]);

  const highlighted = marks.find((m) => m.highlighted);
  const older = loadingOlder ? 'loading' : series?.older === null ? 'none' : 'more';
  const ticks = useMemo(() => bars.reduce((sum, b) => sum + b.ticks, 0), [bars]);
  return (
    <div
      className="chart"
      ref={host}
      data-testid="price-chart"
      data-symbol={symbol}
      data-interval={interval}
      data-bars={bars.length}
      data-points={ticks}
      data-first-time={bars[0]?.openTime ?? ''}
      data-last-time={bars[bars.length - 1]?.openTime ?? ''}
      data-markers={marks.length}
      data-marks-from={marksFrom ?? ''}
      data-highlighted={highlighted?.id ?? ''}
      data-highlight-time={highlighted ? highlighted.time * 1000 : ''}
      data-price-lines={lines.map((l) => `${l.id}@${l.price}`).join(' ')}
      data-older={older}
      data-held-to={heldTo ?? ''}
    >
      <ChartReadout
        symbol={symbol}
        interval={interval}
        bar={hovered ?? bars[bars.length - 1] ?? null}
        hovering={hovered !== null}
        onEarlier={() => {
          const ts = parts.current?.chart.timeScale();
          const range = ts?.getVisibleLogicalRange();
          if (ts && range) ts.setVisibleLogicalRange({ from: range.from - (range.to - range.from) * 0.8, to: range.to - (range.to - range.from) * 0.8 });
        }}
        onLatest={() => {
          // The newest bars were let go: read them again rather than page forward to them.
          if (latest.current.heldTo !== null) reload();
          else parts.current?.chart.timeScale().scrollToRealTime();
        }}
      />
      <div className="chart-canvas" ref={canvas} />
      {bars.length === 0 ? (
        <p className="chart-empty">{error ? `The bars could not be loaded: ${error}` : series?.older === undefined ? `Loading ${symbol}…` : `Waiting for ticks on ${symbol}…`}</p>
      ) : null}
    </div>
  );
}
