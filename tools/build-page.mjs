// Bundles the page of `synth serve` (src/page) into dist/page with esbuild: app.js, player-worklet.js, index.html.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

mkdirSync('dist/page', { recursive: true });
await build({
  entryPoints: { app: 'src/page/app.ts', 'player-worklet': 'src/page/player-worklet.ts' },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  outdir: 'dist/page',
  sourcemap: true,
  logLevel: 'warning',
});
copyFileSync('src/page/index.html', 'dist/page/index.html');
