import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { reportFirstLoad } from './web/build/first-load.js';
import { keepPreviousBuild } from './web/build/keep-previous-build.js';

const target = process.env.DESK_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: 'web',
  plugins: [react(), keepPreviousBuild(), reportFirstLoad()],
  // Not emptied: a desk may be serving the folder while it is rebuilt (see keepPreviousBuild).
  build: {
    outDir: '../dist/web',
    emptyOutDir: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Libraries the first render needs; changes only when a dependency does: a new build of the page keeps it cached.
            // Not react-grid-layout: the page places panels with its small core, and its drag code is lazy (arrange-layer).
            { name: 'vendor', test: /node_modules[\\/](react|react-dom|scheduler|@tanstack|@trpc|@radix-ui)[\\/]/, priority: 2 },
            // What the lazily loaded forms share: react-hook-form, zod and the schemas.
            { name: 'forms', test: /node_modules[\\/](react-hook-form|@hookform|zod)[\\/]|shared[\\/]schema[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    // The port `npm run dev` tells the desk to print as the dashboard's (DESK_DASHBOARD_URL): never another one.
    port: 5173,
    strictPort: true,
    proxy: {
      '/trpc': { target, ws: true, changeOrigin: true },
      '/sse-mux': { target, changeOrigin: true },
      '/health': { target },
    },
  },
});
