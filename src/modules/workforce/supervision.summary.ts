import type { RecordSummaryProvider } from '../people/index.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import { oversightWindowStart } from './supervision.ts';
import { childOversightSince, latestOversightReview, oversightWindowDays } from './supervision.service.ts';

/**
 * The child's record summary, among the next deadlines: the review date the latest management oversight set, and
 * "management oversight in the last N working days" (the authority's window): how many entries fall in it, and the
 * last day the latest entry still counts (overdue once it has dropped out). A child with no oversight at all has no
 * such line. A few indexed queries (management_oversight_child_idx).
 */
export const oversightSummary: RecordSummaryProvider = {
  id: 'management-oversight',
  order: 40,
  nextDeadlines: async ({ db, personId, user, today, calendar }) => {
    if (!user.permissions.has('child:read')) return [];
    const href = `/people/${personId}/chronology?category=management-oversight`;
    const items = [];
    const latest = await latestOversightReview(db, personId);
    if (latest?.reviewOn) items.push({ title: 'Management oversight review', dueOn: latest.reviewOn, href });
    if (latest) {
      const person = await db
        .selectFrom('people')
        .select('localAuthorityId')
        .where('id', '=', personId)
        .executeTakeFirst();
      const n = await oversightWindowDays(db, person?.localAuthorityId ?? null);
      const since = oversightWindowStart(today, n, calendar);
      const { last, inWindow } = await childOversightSince(db, personId, since);
      if (last)
        items.push({
          title: `Management oversight in the last ${n} working days`,
          dueOn: calendar.addWorkingDays(calendar.workingDayOnOrAfter(last), n),
          href,
          detail: inWindow
            ? `${inWindow} ${inWindow === 1 ? 'entry' : 'entries'}, the latest on ${formatDateGovUk(last)}`
            : `None: the latest was on ${formatDateGovUk(last)}`,
        });
    }
    return items;
  },
};
