// Creates an embedded (PGlite) database cluster in the folder given, then exits: `openDatabase` runs it in a child
// process the first time a data folder is used. PGlite's initdb starts a second PostgreSQL-in-WebAssembly instance and
// compiles its WebAssembly again, which leaves a few hundred MiB in the process that ran it (garbage the collector
// frees late, and native memory from the compiler threads that is not given back); in a child process that memory
// goes when it exits, and the server starts on an existing cluster (issue 16). Plain JavaScript, so it runs with or
// without a TypeScript loader.
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node pglite-initdb.mjs <pgdata folder>');
  process.exit(2);
}
const pglite = await PGlite.create(dir);
await pglite.close();
