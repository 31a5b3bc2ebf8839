import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { reportFirstLoad } from './web/build/first-load';

const target = process.env.DESK_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: 'web',
  plugins: [react(), reportFirstLoad()],
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: {
    proxy: {
      '/trpc': { target, ws: true, changeOrigin: true },
      '/health': { target },
    },
  },
});
