import { z } from 'zod';
import type { ReferralSourceCode } from '../../kernel/code-sets/cin-census.ts';
import { CONSENT_VALUES, URGENCY_VALUES, type Consent, type ContactStatus, type Urgency } from './contact.ts';
import type { ContactInput } from './contact.schemas.ts';

/**
 * A partner's online referral (the "Make a referral" question pages): what a draft holds, the order of its
 * questions, and how it becomes a contact. The draft lives on the server (referral_drafts) with every answer so
 * far, so a partner can leave and come back; submitting it calls createContact with channel 'online-form'.
 * Also the words a referrer sees for a contact's progress (their list, the status page and the API).
 */

export const REFERRAL_PATHS = {
  list: '/referrals',
  start: '/referrals/new',
  localAuthority: '/referrals/drafts/:draftId/local-authority',
  children: '/referrals/drafts/:draftId/children',
  child: '/referrals/drafts/:draftId/children/:position',
  removeChild: '/referrals/drafts/:draftId/children/:position/remove',
  adults: '/referrals/drafts/:draftId/adults',
  adult: '/referrals/drafts/:draftId/adults/:position',
  removeAdult: '/referrals/drafts/:draftId/adults/:position/remove',
  concerns: '/referrals/drafts/:draftId/concerns',
  whatHappened: '/referrals/drafts/:draftId/what-happened',
  urgency: '/referrals/drafts/:draftId/urgency',
  consent: '/referrals/drafts/:draftId/consent',
  aboutYou: '/referrals/drafts/:draftId/about-you',
  check: '/referrals/drafts/:draftId/check',
  deleteDraft: '/referrals/drafts/:draftId/delete',
  confirmation: '/referrals/:contactId/confirmation',
  referral: '/referrals/:contactId',
} as const;

export const MAX_REFERRAL_PEOPLE = 20;

export interface ReferralChild {
  givenName?: string | undefined;
  familyName?: string | undefined;
  /** Has the child been born: 'yes' (date of birth), 'no' (expected date of birth), 'not-known'. */
  born?: 'yes' | 'no' | 'not-known' | undefined;
  dateOfBirth?: string | undefined;
  expectedDateOfBirth?: string | undefined;
  addressLine1?: string | undefined;
  town?: string | undefined;
  postcode?: string | undefined;
  school?: string | undefined;
}

export interface ReferralAdult {
  givenName?: string | undefined;
  familyName?: string | undefined;
  role?: string | undefined;
  dateOfBirth?: string | undefined;
  phone?: string | undefined;
  addressLine1?: string | undefined;
  postcode?: string | undefined;
}

export interface ReferralAnswers {
  localAuthorityId?: string | undefined;
  children: ReferralChild[];
  /** The partner said they have no more children to add. */
  childrenDone?: boolean | undefined;
  adults: ReferralAdult[];
  /** The partner said they have no (more) adults to add. */
  adultsDone?: boolean | undefined;
  concernCategories?: string[] | undefined;
  reason?: string | undefined;
  urgency?: Urgency | undefined;
  consent?: Consent | undefined;
  consentRationale?: string | undefined;
  referrer?:
    | {
        name?: string | undefined;
        role?: string | undefined;
        phone?: string | undefined;
        email?: string | undefined;
      }
    | undefined;
}

const s = (max: number) => z.string().max(max).optional().catch(undefined);
const storedChild = z.object({
  givenName: s(100),
  familyName: s(100),
  born: z.enum(['yes', 'no', 'not-known']).optional().catch(undefined),
  dateOfBirth: s(10),
  expectedDateOfBirth: s(10),
  addressLine1: s(200),
  town: s(100),
  postcode: s(10),
  school: s(200),
});
const storedAdult = z.object({
  givenName: s(100),
  familyName: s(100),
  role: s(40),
  dateOfBirth: s(10),
  phone: s(30),
  addressLine1: s(200),
  postcode: s(10),
});

/** Reads a draft's stored answers, dropping anything that no longer fits (never throws). */
export const storedAnswers = z
  .object({
    localAuthorityId: z.uuid().optional().catch(undefined),
    children: z.array(storedChild).max(MAX_REFERRAL_PEOPLE).catch([]).default([]),
    childrenDone: z.boolean().optional().catch(undefined),
    adults: z.array(storedAdult).max(MAX_REFERRAL_PEOPLE).catch([]).default([]),
    adultsDone: z.boolean().optional().catch(undefined),
    concernCategories: z.array(z.string().max(40)).max(20).optional().catch(undefined),
    reason: s(20_000),
    urgency: z.enum(URGENCY_VALUES).optional().catch(undefined),
    consent: z.enum(CONSENT_VALUES).optional().catch(undefined),
    consentRationale: s(4000),
    referrer: z
      .object({ name: s(200), role: s(200), phone: s(30), email: s(320) })
      .optional()
      .catch(undefined),
  })
  .catch({ children: [], adults: [] });

export function readAnswers(json: unknown): ReferralAnswers {
  return storedAnswers.parse(json ?? {}) as ReferralAnswers;
}

/** The question pages in order. The local authority is only asked when the partner's agency serves several. */
export const SECTIONS = [
  'localAuthority',
  'children',
  'adults',
  'concerns',
  'whatHappened',
  'urgency',
  'consent',
  'aboutYou',
  'check',
] as const;
export type Section = (typeof SECTIONS)[number];

export function personName(p: { givenName?: string | undefined; familyName?: string | undefined }): string {
  return [p.givenName, p.familyName].filter(Boolean).join(' ') || 'Name not given';
}

/** The census referral source for a partner agency's kind (a school refers as '2A', the police as '6' …). */
export function referralSourceForAgency(kind: string): ReferralSourceCode {
  switch (kind) {
    case 'police':
      return '6';
    case 'school':
      return '2A';
    case 'early-years':
      return '8';
    case 'health':
      return '3F';
    case 'camhs':
      return '3F';
    case 'probation':
      return '7';
    case 'housing':
      return '4';
    default:
      return '8';
  }
}

/** What is missing before a draft can be sent, each with the page that answers it (in page order). */
export function missingAnswers(a: ReferralAnswers): { section: Section; message: string }[] {
  const out: { section: Section; message: string }[] = [];
  if (!a.localAuthorityId)
    out.push({ section: 'localAuthority', message: 'Select the local authority where the child lives' });
  if (!a.children.length) out.push({ section: 'children', message: 'Add at least one child' });
  if (!a.concernCategories?.length)
    out.push({ section: 'concerns', message: 'Select what the concern is about' });
  if (!a.reason) out.push({ section: 'whatHappened', message: 'Describe what has happened' });
  if (!a.urgency) out.push({ section: 'urgency', message: 'Select how urgent this is' });
  if (!a.consent) out.push({ section: 'consent', message: 'Select whether the family have given consent' });
  else if (a.consent !== 'given' && !a.consentRationale)
    out.push({ section: 'consent', message: 'Explain why you are referring without the family’s consent' });
  if (!a.referrer?.name) out.push({ section: 'aboutYou', message: 'Enter your name' });
  return out;
}

/** The contact a completed draft becomes. */
export function contactInputFrom(
  a: ReferralAnswers,
  referralSource: string,
  agencyName: string,
): ContactInput {
  return {
    localAuthorityId: a.localAuthorityId ?? '',
    channel: 'online-form',
    referralSource,
    referrer: {
      name: a.referrer?.name,
      role: a.referrer?.role,
      organisation: agencyName,
      phone: a.referrer?.phone,
      email: a.referrer?.email,
    },
    concernCategories: a.concernCategories ?? [],
    reason: a.reason ?? '',
    consent: a.consent as Consent,
    consentRationale: a.consent === 'given' ? undefined : a.consentRationale,
    urgency: a.urgency as Urgency,
    children: a.children.map((c) => ({
      givenName: c.givenName,
      familyName: c.familyName,
      dateOfBirth: c.born === 'yes' ? c.dateOfBirth : undefined,
      expectedDateOfBirth: c.born === 'no' ? c.expectedDateOfBirth : undefined,
      addressLine1: c.addressLine1,
      town: c.town,
      postcode: c.postcode,
      school: c.school,
    })),
    adults: a.adults.map((p) => ({
      givenName: p.givenName,
      familyName: p.familyName,
      role: p.role ?? 'other',
      dateOfBirth: p.dateOfBirth,
      phone: p.phone,
      addressLine1: p.addressLine1,
      postcode: p.postcode,
    })),
  };
}

/**
 * Maps a createContact problem path ('children.0.postcode') to the question page that fixes it, for the error
 * summary on the check-your-answers page.
 */
export function sectionForProblem(path: string): { section: Section; position?: number } {
  const [head, index] = path.split('.');
  switch (head) {
    case 'localAuthorityId':
      return { section: 'localAuthority' };
    case 'children':
      return index !== undefined && /^\d+$/.test(index)
        ? { section: 'children', position: Number(index) + 1 }
        : { section: 'children' };
    case 'adults':
      return index !== undefined && /^\d+$/.test(index)
        ? { section: 'adults', position: Number(index) + 1 }
        : { section: 'adults' };
    case 'concernCategories':
      return { section: 'concerns' };
    case 'reason':
      return { section: 'whatHappened' };
    case 'urgency':
      return { section: 'urgency' };
    case 'consent':
    case 'consentRationale':
      return { section: 'consent' };
    default:
      return { section: 'aboutYou' };
  }
}

// -------------------------------------------------------------------------------------------------------
// What a referrer sees of a contact's progress: plain words, and the feedback written for them once a manager
// has authorised the decision. Never the internal rationale.

export const REFERRER_STATUSES = ['received', 'in-progress', 'decided'] as const;
export type ReferrerStatus = (typeof REFERRER_STATUSES)[number];
export const REFERRER_STATUS_TEXT: Record<ReferrerStatus, string> = {
  received: 'Received: waiting to be looked at',
  'in-progress': 'Being looked at by the front door',
  decided: 'Decision made',
};

export function referrerStatus(status: ContactStatus): ReferrerStatus {
  if (status === 'awaiting-screening') return 'received';
  if (status === 'completed') return 'decided';
  return 'in-progress';
}
