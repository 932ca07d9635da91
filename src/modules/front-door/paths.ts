import { pathTo } from '../../web/paths.ts';
import { REFERRAL_PATHS, SECTIONS, type Section } from './referral.ts';

/** The front door's URLs (route patterns for definePage; build links with pathTo or the helpers below). */
export const FRONT_DOOR_PATHS = {
  worktray: '/front-door',
  newContact: '/front-door/contacts/new',
  contact: '/front-door/contacts/:contactId',
  childCheck: '/front-door/contacts/:contactId/children/:childId/check',
  childCensus: '/front-door/contacts/:contactId/children/:childId/census-details',
  adultCheck: '/front-door/contacts/:contactId/adults/:contactAdultId/check',
  addCall: '/front-door/contacts/:contactId/calls/new',
  adultRelationships: '/front-door/contacts/:contactId/adults/:contactAdultId/relationships',
  mashEnquiry: '/front-door/contacts/:contactId/mash-enquiry',
  newRequest: '/front-door/contacts/:contactId/information-requests/new',
  reminder: '/front-door/contacts/:contactId/information-requests/:requestId/reminder',
  decision: '/front-door/contacts/:contactId/decision',
  authorisation: '/front-door/contacts/:contactId/authorisation',
  strategyDiscussion: '/front-door/contacts/:contactId/strategy-discussion',
  referrerFeedback: '/front-door/contacts/:contactId/referrer-feedback',
  meetings: '/front-door/meetings',
  newMeeting: '/front-door/meetings/new',
  meeting: '/front-door/meetings/:meetingId',
  meetingAttendee: '/front-door/meetings/:meetingId/attendees/new',
  meetingItem: '/front-door/meetings/:meetingId/items/:itemId',
  meetingMinutes: '/front-door/meetings/:meetingId/minutes',
  partnerRequests: '/information-requests',
  partnerRequest: '/information-requests/:requestId',
} as const;

export const contactPath = (contactId: string) => pathTo(FRONT_DOOR_PATHS.contact, { contactId });
export const addCallPath = (contactId: string) => pathTo(FRONT_DOOR_PATHS.addCall, { contactId });
export const referrerFeedbackPath = (contactId: string) =>
  pathTo(FRONT_DOOR_PATHS.referrerFeedback, { contactId });
/** Where the front door's chronology entries are shown (people's chronology links them). */
export const frontDoorChronologyLinks = {
  contact: (contactId: string) => contactPath(contactId),
} as const;
export const meetingPath = (meetingId: string) => pathTo(FRONT_DOOR_PATHS.meeting, { meetingId });
export const partnerRequestPath = (requestId: string) =>
  pathTo(FRONT_DOOR_PATHS.partnerRequest, { requestId });
export const childCensusPath = (contactId: string, childId: string, from?: 'authorisation' | 'decision') =>
  pathTo(FRONT_DOOR_PATHS.childCensus, { contactId, childId }) + (from ? `?from=${from}` : '');

/** A question page of a partner's online referral draft (keeping a return to check-your-answers). */
export function sectionPath(section: Section, draftId: string, query?: { returnTo?: string | undefined }) {
  return pathTo(
    REFERRAL_PATHS[section],
    { draftId },
    query?.returnTo === 'check' ? { returnTo: 'check' } : undefined,
  );
}

/**
 * Where to go after answering `section`: the check-your-answers page when the partner came from it (a change
 * link), otherwise the next question.
 */
export function nextAfter(section: Section, draftId: string, returnTo?: string): string {
  if (returnTo === 'check') return sectionPath('check', draftId);
  const i = SECTIONS.indexOf(section);
  return sectionPath(SECTIONS[Math.min(i + 1, SECTIONS.length - 1)]!, draftId);
}
