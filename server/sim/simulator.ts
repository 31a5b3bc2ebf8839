import type { SimulatorControlInput, SimulatorState } from '../../shared/schema/system';
import { localExecutor, type CommandExecutor } from '../store/commands';
import type { Desk } from '../store/desk';
import { createAgents } from './agents';
import { createRandom, type Random } from './random';

export interface SimulatorOptions {
  /** @default ['AAPL','MSFT','NVDA','AMZN','GOOG','TSLA','META','BTC-USD'] */
  symbols?: string[];
  /** Price ticks per second across all symbols. @default 8 */
  ticksPerSecond?: number;
  /** @default 42 */
  seed?: number;
  /** Simulated agents act once per this many ticks. @default 4 */
  ticksPerAgentAction?: number;
  onChange?: (state: SimulatorState) => void;
  /** Where the simulator's changes go. @default this desk, directly */
  executor?: CommandExecutor;
  /** Prefix of the ids the simulator gives tasks and workflow runs. @default the start time */
  runId?: string;
  /** While running, it ticks only when this says so (cluster mode: while it holds the simulator's lease). */
  gate?: () => boolean;
  /** Hears every change made through `configure` (cluster mode: shares it with the other instances). */
  onConfigure?: (state: SimulatorState) => void;
}

export const DEFAULT_SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'TSLA', 'META', 'BTC-USD'];
const START_PRICES: Record<string, number> = { AAPL: 190, MSFT: 410, NVDA: 120, AMZN: 180, GOOG: 165, TSLA: 240, META: 500, 'BTC-USD': 64000 };
const MAX_TIMER_HZ = 100;

/**
 * The market simulator: a random walk per symbol at a set rate, and simulated agents that change
 * status, run tasks and workflows, decide and trade. `step(n)` runs n ticks synchronously and is
 * deterministic for a seed; `start()` runs them on a timer.
 */
export class Simulator {
  private random: Random;
  private state: SimulatorState;
  private timer: NodeJS.Timeout | null = null;
  private owed = 0;
  private lastRun = 0;
  private tickCount = 0;
  private agents: ReturnType<typeof createAgents>;
  private readonly ticksPerAgentAction: number;
  private readonly executor: CommandExecutor;
  private readonly runId: string;

  constructor(
    private readonly desk: Desk,
    private readonly options: SimulatorOptions = {},
  ) {
    const seed = options.seed ?? 42;
    this.state = {
      running: false,
      ticksPerSecond: options.ticksPerSecond ?? 8,
      symbols: options.symbols ?? DEFAULT_SYMBOLS,
      seed,
    };
    this.random = createRandom(seed);
    this.executor = options.executor ?? localExecutor(desk);
    this.runId = options.runId ?? Date.now().toString(36);
    this.agents = createAgents(desk, this.executor, this.random, this.runId);
    this.ticksPerAgentAction = options.ticksPerAgentAction ?? 4;
  }

  get status(): SimulatorState {
    return { ...this.state, symbols: [...this.state.symbols] };
  }

  /** Applies a control change: rate, symbols, seed, running. */
  configure(input: SimulatorControlInput): SimulatorState {
    this.apply(input);
    this.options.onConfigure?.(this.status);
    return this.status;
  }

  /** Takes on settings decided elsewhere (another instance of the cluster); `onConfigure` is not called. */
  adopt(state: SimulatorState): void {
    this.apply({ ...state, seed: state.seed === this.state.seed ? undefined : state.seed });
  }

  private apply(input: SimulatorControlInput): void {
    if (input.ticksPerSecond !== undefined) this.state.ticksPerSecond = input.ticksPerSecond;
    if (input.symbols !== undefined) this.state.symbols = [...new Set(input.symbols)];
    if (input.seed !== undefined) {
      this.state.seed = input.seed;
      this.random = createRandom(input.seed);
      this.agents = createAgents(this.desk, this.executor, this.random, `${this.runId}s${input.seed}`);
    }
    if (input.running === false) this.stop();
    else if (this.timer) this.restartTimer(); // at the new rate
    else if (input.running === true) this.start();
    this.options.onChange?.(this.status);
  }

  start(): void {
    if (this.timer) return;
    this.state.running = true;
    this.restartTimer();
    this.options.onChange?.(this.status);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.state.running) {
      this.state.running = false;
      this.options.onChange?.(this.status);
    }
  }

  /** Runs `n` ticks now. */
  step(n = 1): void {
    for (let i = 0; i < n; i++) this.tick();
  }

  private restartTimer(): void {
    if (this.timer) clearInterval(this.timer);
    const hz = Math.min(this.state.ticksPerSecond, MAX_TIMER_HZ);
    this.lastRun = performance.now();
    this.owed = 0;
    this.timer = setInterval(() => this.onTimer(), 1000 / hz);
    this.timer.unref();
  }

  /** Timers cannot fire 1,000 times a second: each firing runs the ticks owed since the last. */
  private onTimer(): void {
    const now = performance.now();
    if (this.options.gate && !this.options.gate()) {
      this.lastRun = now; // a standby owes nothing when it takes over
      this.owed = 0;
      return;
    }
    this.owed += ((now - this.lastRun) / 1000) * this.state.ticksPerSecond;
    this.lastRun = now;
    const due = Math.min(Math.floor(this.owed), Math.ceil(this.state.ticksPerSecond));
    this.owed -= due;
    if (this.owed > this.state.ticksPerSecond) this.owed = 0;
    this.step(due);
  }

  private tick(): void {
    const symbol = this.state.symbols[this.tickCount % this.state.symbols.length]!;
    this.tickCount++;
    const last = this.desk.market.lastPrice(symbol) ?? START_PRICES[symbol] ?? 50 + this.random.int(200);
    const price = Math.max(0.01, last * (1 + 0.0015 * this.random.gaussian()));
    this.executor.submit('sim.tick', { symbol, price });
    if (this.tickCount % this.ticksPerAgentAction === 0) this.agents.act(this.state.symbols);
  }
}
