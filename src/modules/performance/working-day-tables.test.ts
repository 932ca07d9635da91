import { describe, expect, it } from 'vitest';
import { englandAndWalesCalendar as calendar } from '../../kernel/working-days/index.ts';
import { workingDayTable, workingDayTables, type MeasureScope } from './measures.repository.ts';
import { previousYearScope } from './performance.service.ts';

const scope = (from: string, to: string): MeasureScope => ({ localAuthorityIds: [], teamId: null, from, to });

describe('working-day tables for several scopes from one walk of the calendar', () => {
  it('gives each scope exactly the table it would have alone (a period and the year before, overlapping months)', () => {
    const period = scope('2026-04-01', '2026-11-24');
    const scopes = [
      period,
      previousYearScope(period),
      scope('2026-10-01', '2026-10-31'),
      scope('2026-09-01', '2026-09-30'),
      scope('2025-10-01', '2025-10-31'),
    ];
    const tables = workingDayTables(calendar, scopes);
    expect(tables).toHaveLength(scopes.length);
    scopes.forEach((s, i) => expect(tables[i]).toEqual(workingDayTable(calendar, s)));
    expect(workingDayTables(calendar, [])).toEqual([]);
  });
});
