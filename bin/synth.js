#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm run build`, which `npm ci` runs through `prepare`).
import('../dist/cli/bin.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli')) {
    process.stderr.write('synth: error: the CLI is not built; run `npm run build` (or `npm ci`) first\n');
    process.exit(1);
  }
  throw error;
});
