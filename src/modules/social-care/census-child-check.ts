import { registerPersonChangeCheck } from '../people/index.ts';
import { collectionYearStart, rule4180, rule4220, rule8540, rule8750, rule8772 } from './census-rules.ts';

/**
 * The child-level census rules (4180, 8750, 4220, 8540, 8772) are checked when a referral opens (referral.service.ts);
 * this keeps them true afterwards: a change to the record of a child the CIN census will return (an episode still
 * open, or closed in the current collection year, which starts on 1 April) that would break one is refused on the
 * edit page, naming the rule. Query rules (8525Q, 8535Q) are confirmed at referral and not asked again here.
 */
export function registerCensusChildCheck(): void {
  registerPersonChangeCheck({
    id: 'cin-census-child',
    async check({ db, personId, proposed, today }) {
      if (proposed.kind !== 'child') return null;
      const yearStart = collectionYearStart(today);
      const episodes = await db
        .selectFrom('cinEpisodes')
        .select('referralNfa')
        .where('childId', '=', personId)
        .where((eb) => eb.or([eb('closureDate', 'is', null), eb('closureDate', '>=', yearStart)]))
        .execute();
      if (!episodes.length) return null;
      const allNfa = episodes.every((e) => e.referralNfa);
      const problem =
        rule4180(proposed.sex) ??
        rule8750(proposed.dateOfBirth, proposed.expectedDateOfBirth, proposed.sex) ??
        rule4220(proposed.ethnicityCode) ??
        rule8540(proposed.dateOfBirth, allNfa, proposed.disabilities) ??
        rule8772(proposed.upnUnknownReason, episodes);
      return problem ? { field: problem.field, message: problem.message } : null;
    },
  });
}
