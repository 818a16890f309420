import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console is a static single-page app under `/console/`, served by the local gateway (`npm start`) and,
 * in the cloud, by CloudFront from S3. Routes are split into their own chunks (React.lazy), so the first
 * page loads only the shell; ECharts comes with the pages that draw charts.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  // The console checks identifiers and reads amounts with the very domain code the API uses.
  resolve: {
    alias: [
      { find: /^#shared\//, replacement: fileURLToPath(new URL('../shared/', import.meta.url)) },
      // zod without eval (the CSP forbids it), set where zod is first imported: see src/zod-jitless.ts.
      { find: /^zod$/, replacement: fileURLToPath(new URL('./src/zod-jitless.ts', import.meta.url)) },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or styles in index.html: the cloud's CSP allows scripts from 'self' only.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
});
