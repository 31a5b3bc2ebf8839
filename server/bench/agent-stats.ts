/**
 * What `agents.stats` costs on a desk with a long history: the first call (which folds every trade
 * and decision the journal retains) and the calls after it (which fold only what came since), and
 * `agents.view` of one agent. Run: `npx tsx server/bench/agent-stats.ts [decisions, default 50000]`.
 */
import { agentStats, agentView } from '../store/agent-view';
import { createDesk } from '../store/desk';

const decisions = Number(process.argv[2] ?? 50_000);
const desk = createDesk({ journal: { path: ':memory:' } });
desk.market.setPrice({ symbol: 'AAA', price: 100 });
for (let i = 0; i < decisions; i++) {
  desk.activity.recordDecision({ agentId: `a${i % 4}`, symbol: 'AAA', action: i % 2 ? 'buy' : 'sell', confidence: (i % 10) / 10, reasoning: '', executeQty: 1 + (i % 3) });
}
const time = async (run: () => Promise<unknown>) => {
  const start = performance.now();
  await run();
  return performance.now() - start;
};
const first = await time(() => agentStats(desk));
const again: number[] = [];
for (let i = 0; i < 20; i++) {
  desk.activity.recordDecision({ agentId: 'a1', symbol: 'AAA', action: 'buy', confidence: 0.5, reasoning: '', executeQty: 1 });
  again.push(await time(() => agentStats(desk)));
}
const views: number[] = [];
for (let i = 0; i < 20; i++) views.push(await time(() => agentView(desk, 'a1')));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  JSON.stringify({ decisions, trades: decisions, firstCallMs: Math.round(first), nextCallMedianMs: Number(median(again).toFixed(2)), viewMedianMs: Number(median(views).toFixed(2)) }),
);
desk.journal!.close();
