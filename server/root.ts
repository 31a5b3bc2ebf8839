import { agentsRouter } from './routers/agents';
import { alertsRouter } from './routers/alerts';
import { feedsRouter } from './routers/feeds';
import { historyRouter } from './routers/history';
import { marketRouter } from './routers/market';
import { replayRouter } from './routers/replay';
import { systemRouter } from './routers/system';
import { router } from './trpc';

export const appRouter = router({
  market: marketRouter,
  agents: agentsRouter,
  alerts: alertsRouter,
  feeds: feedsRouter,
  system: systemRouter,
  replay: replayRouter,
  history: historyRouter,
});

export type AppRouter = typeof appRouter;
