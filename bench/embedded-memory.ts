/**
 * The embedded default's memory on its own (`npm run bench:embedded`): Threshold started as `npm start` starts it
 * (no DATABASE_URL: PGlite in a fresh data folder, migrations and the demo data on the first start), then the pages
 * the suite opens (bench/run.ts measureEmbedded, the same function), its RSS sampled throughout. It needs no
 * PostgreSQL, so it runs while the server is busy. Issue 16's target is RSS ≤ 512 MiB.
 *
 *   npm run bench:embedded                       # first start on a fresh folder, then a second start on it
 *   npm run bench:embedded -- --env PGLITE_SHARED_BUFFERS_MB=64   # try a setting (repeatable)
 */
import { parseArgs } from 'node:util';
import { measureEmbedded } from './support.ts';

const { values: args } = parseArgs({
  options: { env: { type: 'string', multiple: true, default: [] } },
});
const env = Object.fromEntries(
  args.env!.map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), kv.slice(i + 1)];
  }),
);
const result = await measureEmbedded({ env, restart: true });
for (const run of result.runs)
  console.log(
    `${run.label}: started in ${(run.startMs / 1000).toFixed(0)} s (peak while starting ` +
      `${run.startPeakRss.toFixed(0)} MiB) at ${run.startedRss.toFixed(0)} MiB; ` +
      `after the pages ${run.afterRss.toFixed(0)} MiB, peak ${run.peakRss.toFixed(0)} MiB ` +
      `(of which PGlite's WebAssembly memory ${run.wasmRss.toFixed(0)} MiB)`,
  );
console.log(`peak ${result.rss.toFixed(0)} MiB (target ≤ 512 MiB)`);
