// Vite: React build into dist/ (served by the server at /); `npm run dev` proxies the API to a running server.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// gRPC-Web calls are POSTs to /telemetry.v1.<Service>/<Method>; health endpoints are plain GETs.
const api = process.env.TELEMETRY_API ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '^/telemetry\\.v1\\.': { target: api, changeOrigin: true },
      '/readyz': api,
      '/healthz': api,
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
