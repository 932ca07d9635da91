/**
 * The floor for the benchmark (bench/run.ts): the least a page or a write can cost on this stack, measured in the
 * same run as Threshold. A bare Fastify server, in its own Node process like the app, that renders a GOV.UK page
 * (the GOV.UK template and one component, through Nunjucks and @fastify/view) around one indexed select
 * (a person by primary key), and takes a write as one bare INSERT of a JSON body. No sessions, CSRF, access
 * checks or audit: every figure in RESULTS.md is also given as a ratio to these.
 *
 *   DATABASE_URL=postgres://… PORT=0 tsx bench/floor/floor-server.ts   # prints "listening <port>"
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import formbody from '@fastify/formbody';
import view from '@fastify/view';
import Fastify from 'fastify';
import nunjucks from 'nunjucks';
import pg from 'pg';

const require = createRequire(import.meta.url);
const govukDist = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const here = path.dirname(new URL(import.meta.url).pathname);

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL ?? 10) });
await pool.query(
  'create table if not exists bench_floor_writes (id uuid primary key default gen_random_uuid(), body jsonb not null, created_at timestamptz not null default now())',
);
const app = Fastify({ logger: false });
await app.register(formbody);
await app.register(view, { engine: { nunjucks }, templates: [here, govukDist] });

app.get<{ Params: { id: string } }>('/floor/people/:id', async (request, reply) => {
  const { rows } = await pool.query(
    'select id, given_name, family_name, date_of_birth::text, kind from people where id = $1',
    [request.params.id],
  );
  if (!rows[0]) return reply.code(404).send('Not found');
  return reply.view('page.njk', { person: rows[0] });
});
app.post('/floor/writes', async (request, reply) => {
  const { rows } = await pool.query('insert into bench_floor_writes (body) values ($1) returning id', [
    JSON.stringify(request.body),
  ]);
  return reply.code(201).send({ id: rows[0].id });
});

const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
console.log(`listening ${new URL(address).port}`);
const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
