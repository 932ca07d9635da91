import { createHash, randomBytes } from 'node:crypto';

/**
 * Feedback from children and families (issue 20, part 6): the points it is offered at, the services, the two
 * surveys (forms as data, keys below) and the one-use link's token. Only the token's SHA-256 is stored; the token
 * itself is shown once, to the worker who made the link.
 */

export const FEEDBACK_SERVICES = ['early-help', 'social-care'] as const;
export type FeedbackService = (typeof FEEDBACK_SERVICES)[number];
export const SERVICE_LABELS: Record<FeedbackService, string> = {
  'early-help': 'Early help',
  'social-care': 'Children’s social care',
};

export const FEEDBACK_POINTS = ['assessment', 'plan-review', 'closure'] as const;
export type FeedbackPoint = (typeof FEEDBACK_POINTS)[number];
export const POINT_LABELS: Record<FeedbackPoint, string> = {
  assessment: 'End of an assessment',
  'plan-review': 'Plan review',
  closure: 'Closure',
};

export const AUDIENCES = ['child', 'adult'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const AUDIENCE_LABELS: Record<Audience, string> = {
  child: 'Child or young person (easy read)',
  adult: 'Parent, carer or other adult',
};
export const SURVEY_KEYS: Record<Audience, string> = {
  child: 'family-feedback-child',
  adult: 'family-feedback-adult',
};

export const CHANNEL_LABELS: Record<string, string> = {
  online: 'Online link',
  paper: 'Paper',
  meeting: 'At a meeting',
};

/** How long a family's link stays open. */
export const LINK_DAYS = 28;

/** A token looks like this (32 random bytes, base64url): anything else is not a link. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export const labelOf = <K extends string>(labels: Record<K, string>, value: string): string =>
  (labels as Record<string, string>)[value] ?? value;
