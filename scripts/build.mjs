// `npm run build`: compiles src/ to JavaScript in dist/ (tsc, relative .ts imports rewritten to .js) and copies
// what the app reads from beside its code (Nunjucks views, the public folder), so that `npm run start:production`
// runs plain Node with no TypeScript loader.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
fs.cpSync(path.join(root, 'src'), path.join(root, 'dist'), {
  recursive: true,
  filter: (source) => fs.statSync(source).isDirectory() || !/\.(ts|tsx)$/.test(source),
});
console.log('Built dist/ (start it with npm run start:production).');
