import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the server in production; `npm run dev -w client` proxies the API for development.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: true },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
