// Builds the console page (emulator/console/web/) into dist/emulator/console/web/ at build time:
// Preact through esbuild's JSX, no CDN; the page loads nothing from the network at run time.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => join(dirname(fileURLToPath(import.meta.url)), p);

export default defineConfig({
  root: here('./web'),
  base: '/',
  logLevel: 'warn',
  publicDir: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: here('../../dist/emulator/console/web'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
