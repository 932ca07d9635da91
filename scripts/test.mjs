#!/usr/bin/env node
// `npm test`: finds Chromium for the page tests (installing Debian's package when running as root), then
// runs every Vitest project: unit, db, pages and e2e. Extra arguments go to Vitest.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  );
  return candidates.find((p) => fs.existsSync(p));
}

let chromium = findChromium();
if (!chromium) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      'The page tests need Chromium, which is not installed. Install it with:\n\n  sudo apt-get install -y chromium\n\nor set CHROMIUM_PATH to an existing Chromium or Chrome binary.',
    );
    process.exit(1);
  }
  console.log("Installing Debian's chromium for the page tests (apt-get install -y chromium)…");
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  chromium = findChromium();
  if (!chromium) {
    console.error('apt-get finished but no chromium binary was found at /usr/bin/chromium.');
    process.exit(1);
  }
}

const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium, TZ: 'Europe/London' },
});
process.exit(result.status ?? 1);
