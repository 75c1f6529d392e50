import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the server in production; `npm run dev -w client` proxies the API for development.
export default defineConfig({
  plugins: [react()],
  // Each screen is its own chunk (React.lazy in src/app/screens.tsx); the shared vendor chunk (React,
  // Ant Design, the shared schemas) is about 250 kB gzipped, so the default 500 kB warning is moot.
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
