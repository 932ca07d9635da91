#!/usr/bin/env node
// The `threshold` command: runs src/cli.ts through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv);
