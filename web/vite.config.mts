/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The staff console: built into dist/web (git-ignored), which the service serves at `/`
// (src/console/console-static.ts). `npx vite --config web/vite.config.mts` serves it for development
// against a service on :3000.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // React's automatic JSX runtime through Vite's own transform: no Babel plugin needed.
  oxc: { jsx: { runtime: 'automatic' } },
  // Vite writes this placeholder as the nonce of its tags and of <meta property="csp-nonce">; the
  // service puts a fresh nonce in its place on every response (react-aria's one injected <style>).
  html: { cspNonce: 'CONSOLE_CSP_NONCE' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Every script is a file under /assets: the CSP allows no inline script, and Chromium, Firefox
    // and Safari preload modules natively.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: {
      // TanStack Query marks its files "use client" for React Server Components; meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000', '/health': 'http://localhost:3000' },
  },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
