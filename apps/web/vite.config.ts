import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Dev mode: run the server with PUBLIC_URL=http://localhost:5173 (so that its CSRF origin check
// and the links in its emails point here) and this dev server proxies /api to it.
const api = process.env['TIERLINK_API_URL'] ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': { target: api } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Fluent UI is one large vendor chunk by nature; the portal loads it once and caches it.
    chunkSizeWarningLimit: 1500,
  },
});
