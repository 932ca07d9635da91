import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Clock } from '../kernel/time/index.ts';
import type { WorkingDayCalendar } from '../kernel/working-days/index.ts';

/** What every page and service may use; built once in buildApp (the one composition root). */
export interface AppServices {
  config: Config;
  db: Database;
  clock: Clock;
  calendar: WorkingDayCalendar;
  log: FastifyBaseLogger;
}
