import { NotFoundError } from '../../kernel/errors.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import type { LetterSource } from '../documents/index.ts';
import { parentalResponsibilityHolders } from '../people/index.ts';
import { socialCareChronologyLinks } from './pages-common.ts';
import { preProceedingsTimeline } from './pre-proceedings.ts';
import { preProceedingsDetails, requireFgdmOffer, requirePreProceedings } from './pre-proceedings.service.ts';

/**
 * The Families First letters (issue 22), filled in from the pre-proceedings record for the documents module: the
 * letter before proceedings (kept on the child, about the record) and the offer of a family group decision making
 * meeting (one per person with parental responsibility offered a meeting, about that offer). The documents module
 * adds the child, the parents and carers, the worker and the authority's letterhead.
 */

/** "A", "A and B", "A, B and C". */
const joinNames = (names: readonly string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** The letter's concerns: the legal planning meeting's reasons, a line or paragraph each. */
export function concernsOf(rationale: string): string[] {
  return rationale
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*[-•*]\s*/, '').trim())
    .filter(Boolean);
}

const backToRecord = (preProceedingsId: string) => ({
  backPath: socialCareChronologyLinks['pre-proceedings'](preProceedingsId),
  backText: 'Back to pre-proceedings',
});

export const preProceedingsLetterSource: LetterSource = {
  sourceType: 'pre-proceedings',
  kinds: ['letter-before-proceedings'],
  async load(ctx, preProceedingsId) {
    const { pp, episode } = await requirePreProceedings(ctx, preProceedingsId, 'write');
    if (!pp.startedOn) throw new NotFoundError();
    const details = await preProceedingsDetails(ctx.db, pp);
    // Offered in this letter: those the record says it offered, or, before it is recorded as sent, everyone with
    // parental responsibility not offered a meeting another way.
    const inLetter = new Set(
      details.offers.filter((o) => o.method === 'letter-before-proceedings').map((o) => o.personId),
    );
    // In the order the family and network page lists them (anyone offered who no longer holds it last).
    const holderOrder = details.holders.map((h) => h.personId);
    const offeredTo = [
      ...details.offers
        .filter((o) => inLetter.has(o.personId))
        .sort((a, b) => (holderOrder.indexOf(a.personId) >>> 0) - (holderOrder.indexOf(b.personId) >>> 0))
        .map((o) => o.name),
      ...(pp.lbpSentOn ? [] : details.notYetOffered.map((h) => h.name)),
    ];
    const otherwise = details.offers.filter((o) => o.method !== 'letter-before-proceedings');
    const child = episode.knownAs ?? episode.givenName;
    let fgdmOffer: string;
    if (pp.fgdmNotInInterestsOn)
      fgdmOffer =
        'We have decided that a family group decision making meeting would not be in the child’s best interests at the moment. Your social worker will explain why.';
    else if (offeredTo.length || otherwise.length)
      fgdmOffer = [
        offeredTo.length
          ? `We are offering a family group decision making meeting (sometimes called a family group conference) to ${joinNames(offeredTo)}.`
          : '',
        otherwise.length
          ? `We have already offered a meeting to ${joinNames(otherwise.map((o) => `${o.name} (${formatDateGovUk(o.offeredOn)})`))}.`
          : '',
        `At the meeting, your family and friends come together, with an independent coordinator, to make a plan to keep ${child} safe. It is your choice whether to have one. Please tell your social worker whether you would like a meeting.`,
      ]
        .filter(Boolean)
        .join(' ');
    else fgdmOffer = '';
    const timeline = preProceedingsTimeline(ctx.calendar, details.facts, isoDateOf(ctx.now));
    const initial = timeline?.milestones.find((m) => m.key === 'initial');
    return {
      childId: pp.childId,
      fields: {
        concerns: concernsOf(pp.lpmRationale),
        fgdmOffer,
        legalPlanningMeeting: { date: formatDateGovUk(pp.lpmHeldOn) },
        initialMeetingBy: initial?.dueOn && !initial.doneOn ? formatDateGovUk(initial.dueOn) : null,
        decisionBy: timeline ? formatDateGovUk(timeline.weekSixteen) : null,
      },
      ...backToRecord(pp.id),
    };
  },
};

export const fgdmOfferLetterSource: LetterSource = {
  sourceType: 'fgdm-offer',
  kinds: ['fgdm-offer'],
  async load(ctx, offerId) {
    const { offer, pp } = await requireFgdmOffer(ctx, offerId, 'write');
    // Still someone with parental responsibility: a letter is not written to someone who no longer is.
    const holders = await parentalResponsibilityHolders(ctx.db, pp.childId);
    if (!holders.some((h) => h.personId === offer.personId)) throw new NotFoundError();
    return {
      childId: pp.childId,
      fields: {
        offer: { to: offer.name, date: formatDateGovUk(offer.offeredOn) },
        service: pp.fgdmService,
      },
      ...backToRecord(pp.id),
    };
  },
};
