/**
 * Vite build of the web app into apps/web/dist, which the server serves at `/` (http/routes/web-app.ts).
 * The `browser` condition makes @photosync/crypto's `#sodium` import resolve to its libsodium-wrappers
 * backend (never sodium-native). Everything is bundled: the app makes no request to another origin.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: { conditions: ['browser', 'module', 'import', 'default'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // The protocol package's OpenAPI writer (server only) imports node:fs; the app never calls it.
        if (warning.message.includes('openapi-document.ts')) return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
