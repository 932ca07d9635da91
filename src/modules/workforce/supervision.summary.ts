import type { RecordSummaryProvider } from '../people/index.ts';
import { latestOversightReview } from './supervision.service.ts';

/**
 * The child's record summary: the review date the latest management oversight set, among the next deadlines.
 * One indexed query (management_oversight_child_idx).
 */
export const oversightSummary: RecordSummaryProvider = {
  id: 'management-oversight',
  order: 40,
  nextDeadlines: async ({ db, personId, user }) => {
    if (!user.permissions.has('child:read')) return [];
    const latest = await latestOversightReview(db, personId);
    if (!latest?.reviewOn) return [];
    return [
      {
        title: 'Management oversight review',
        dueOn: latest.reviewOn,
        href: `/people/${personId}/chronology?category=management-oversight`,
      },
    ];
  },
};
