/**
 * What `agents.stats` costs on a desk with a long history: the first call (which folds every trade
 * and decision the journal retains) and the calls after it (which fold only what came since), and
 * `agents.view` of one agent, now and as of moments spread over the history (`at`: from a snapshot
 * of the fold and a replay checkpoint, with what came after them folded in). Run: `npx tsx server/bench/agent-stats.ts [decisions, default 50000]`.
 */
import { agentStats, agentView } from '../store/agent-view';
import { createDesk } from '../store/desk';

const decisions = Number(process.argv[2] ?? 50_000);
const desk = createDesk({ journal: { path: ':memory:' } });
desk.market.setPrice({ symbol: 'AAA', price: 100 });
const moments: string[] = [];
for (let i = 0; i < decisions; i++) {
  const { eventId } = desk.activity.recordDecision({ agentId: `a${i % 4}`, symbol: 'AAA', action: i % 2 ? 'buy' : 'sell', confidence: (i % 10) / 10, reasoning: '', executeQty: 1 + (i % 3) });
  // Checkpoints as the running desk's timer writes them (one per 10,000 events).
  if (i % 1_000 === 0) desk.replay!.checkpointer.step();
  if (i % Math.ceil(decisions / 20) === 7) moments.push(String(eventId));
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
const statsAt: number[] = [];
const viewsAt: number[] = [];
for (const at of moments) {
  statsAt.push(await time(() => agentStats(desk, undefined, at)));
  viewsAt.push(await time(() => agentView(desk, 'a1', at)));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  JSON.stringify({ decisions, trades: decisions, firstCallMs: Math.round(first), nextCallMedianMs: Number(median(again).toFixed(2)), viewMedianMs: Number(median(views).toFixed(2)),
    statsAtMedianMs: Number(median(statsAt).toFixed(2)), statsAtMaxMs: Number(Math.max(...statsAt).toFixed(2)),
    viewAtMedianMs: Number(median(viewsAt).toFixed(2)), viewAtMaxMs: Number(Math.max(...viewsAt).toFixed(2)), moments: moments.length }),
);
desk.journal!.close();
