import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The console is a static single-page app under `/console/`, served by the local gateway (`npm start`) and,
 * in the cloud, by CloudFront from S3. Routes are split into their own chunks (React.lazy), so the first
 * page loads only the shell; ECharts comes with the pages that draw charts.
 */
/**
 * The console's first script, src/boot.ts (a few KB, its own entry), put before the app's in index.html: it
 * asks for the page's data and chunk while the app's code loads (src/early.ts says why). Vite would merge
 * every module script of index.html into one entry, so this one is added after the build.
 */
function bootScriptFirst(): Plugin {
  return {
    name: 'boot-script-first',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const boot = Object.values(context.bundle ?? {}).find(
          (output) => output.type === 'chunk' && output.isEntry && output.name === 'boot',
        );
        if (boot === undefined) throw new Error('the build has no boot entry (src/boot.ts)');
        return [
          {
            tag: 'script',
            // async: run as soon as it has loaded, not after the stylesheet and the document as a deferred script.
            attrs: { type: 'module', async: true, crossorigin: true, src: `/console/${boot.fileName}` },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react(), bootScriptFirst()],
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
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        boot: fileURLToPath(new URL('./src/boot.ts', import.meta.url)),
      },
    },
  },
});
