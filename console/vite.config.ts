import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * rc-table (antd's Table) measures the scroll bar's width when any table mounts: it inserts a <style> and a
 * probe element, forces a style recalculation and a layout against the whole antd stylesheet, removes both,
 * then renders the table a second time. The width serves only a fixed header (`scroll.y`) or a sticky one,
 * which no console table has; measured only then, a list page's first render skips that work. The build
 * fails if rc-table's code changes shape, rather than silently measuring again.
 */
function tableScrollBarMeasuredOnlyForFixedHeader(): Plugin {
  const measuring = `  useLayoutEffect(() => {
    if (!tailor || !useInternalHooks) {
      if (scrollBodyRef.current instanceof Element) {
        setScrollbarSize(getTargetScrollBarSize(scrollBodyRef.current).width);
      } else {
        setScrollbarSize(getTargetScrollBarSize(scrollBodyContainerRef.current).width);
      }
    }
  }, []);`;
  return {
    name: 'table-scroll-bar-measured-only-for-fixed-header',
    transform(code, id) {
      if (!/[\\/]@rc-component[\\/]table[\\/]es[\\/]Table\.js$/.test(id)) return undefined;
      if (!code.includes(measuring)) {
        throw new Error(
          `${id}: the scroll bar measurement changed; review this plugin in console/vite.config.ts`,
        );
      }
      return code.replace(
        measuring,
        measuring
          .replace(
            'if (!tailor || !useInternalHooks) {',
            'if ((fixHeader || isSticky) && (!tailor || !useInternalHooks)) {',
          )
          .replace('}, []);', '}, [fixHeader || isSticky]);'),
      );
    },
  };
}

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
  plugins: [react(), tableScrollBarMeasuredOnlyForFixedHeader(), bootScriptFirst()],
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
