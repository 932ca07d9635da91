import type { CurrentUser } from '../../kernel/access/index.ts';
import { formatDateGovUk } from '../../kernel/time/index.ts';
import type { LetterKind } from './letter-kinds.ts';
import { letterPath } from './paths.ts';

/**
 * What the modules' letter sources share (issue 23): the links a page offers to produce its letters, and the fields
 * that several kinds fill in the same way from different records (a plan, a review, a closure), written as words
 * ready to print. Each source still checks access and reads its own record.
 */

/** A link to produce a letter is shown only to those who may add it to the child's documents. */
export function mayProduceLetters(user: CurrentUser): boolean {
  return user.permissions.has('document:upload');
}

/** The letters offered for an event: label and link, empty for a user who may not add documents. */
export function letterLinks(
  user: CurrentUser,
  sourceType: string,
  sourceId: string,
  kinds: readonly { kind: LetterKind; text: string }[],
): { text: string; href: string }[] {
  if (!mayProduceLetters(user)) return [];
  return kinds.map((k) => ({ text: k.text, href: letterPath(k.kind, sourceType, sourceId) }));
}

/** A plan goal as the family reads it: their own wording where it was written, else the goal. */
export const familyWording = (own: string | null, goal: string) => own?.trim() || goal;

/** The fields of a plan's letters (the family's copy, the child-friendly version): dates in words. */
export const planLetterFields = (startedOn: string, reviewOn: string | null, goals: string[]) => ({
  plan: {
    startedOn: formatDateGovUk(startedOn),
    reviewOn: reviewOn ? formatDateGovUk(reviewOn) : null,
    goals,
  },
});

/** The fields of a review outcome letter: the date the review was held and what it decided, in words. */
export const reviewLetterFields = (heldOn: string, outcome: string) => ({
  review: { date: formatDateGovUk(heldOn), outcome },
});

/** The fields of a closure letter: the date the work ended and why, in words. */
export const closureLetterFields = (closedOn: string, reason: string) => ({
  closure: { date: formatDateGovUk(closedOn), reason },
});
