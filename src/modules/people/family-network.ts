/**
 * Family networks (Families First): the people around a child who can help (relatives, friends and others important
 * to the child), the meetings where the network makes its own plan, and the support the authority gives it. The
 * codes here are the people module's own (not census codes).
 */

export const NETWORK_ROLES = [
  'grandparent',
  'aunt-uncle',
  'sibling',
  'cousin',
  'other-relative',
  'family-friend',
  'neighbour',
  'other',
] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

export const NETWORK_ROLE_LABELS: Record<NetworkRole, string> = {
  grandparent: 'Grandparent',
  'aunt-uncle': 'Aunt or uncle',
  sibling: 'Brother or sister',
  cousin: 'Cousin',
  'other-relative': 'Other relative',
  'family-friend': 'Family friend',
  neighbour: 'Neighbour',
  other: 'Someone else important to the child',
};

export const CONTACT_METHODS = ['phone', 'email', 'letter', 'in-person'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];
export const CONTACT_METHOD_LABELS: Record<ContactMethod, string> = {
  phone: 'Phone',
  email: 'Email',
  letter: 'Letter',
  'in-person': 'In person',
};

export const SUPPORT_OFFERS = [
  'care',
  'respite',
  'transport',
  'emotional',
  'contact-supervision',
  'practical',
  'other',
] as const;
export type SupportOffer = (typeof SUPPORT_OFFERS)[number];
export const SUPPORT_OFFER_LABELS: Record<SupportOffer, string> = {
  care: 'Caring for the child',
  respite: 'Respite (short breaks)',
  transport: 'Transport',
  emotional: 'Emotional support',
  'contact-supervision': 'Supervising family time (contact)',
  practical: 'Practical help at home',
  other: 'Other help',
};

export const SUPPORT_KINDS = ['financial', 'practical', 'respite', 'childcare', 'training', 'other'] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];
export const SUPPORT_KIND_LABELS: Record<SupportKind, string> = {
  financial: 'Financial',
  practical: 'Practical',
  respite: 'Respite',
  childcare: 'Childcare',
  training: 'Training',
  other: 'Other',
};

export const SUPPORT_FREQUENCIES = ['one-off', 'weekly', 'monthly'] as const;
export type SupportFrequency = (typeof SUPPORT_FREQUENCIES)[number];
export const SUPPORT_FREQUENCY_LABELS: Record<SupportFrequency, string> = {
  'one-off': 'One-off',
  weekly: 'Weekly',
  monthly: 'Monthly',
};

export const SUPPORT_STATUS_LABELS: Record<string, string> = { agreed: 'Agreed', ended: 'Ended' };

/** How many actions one meeting's form takes (fixed slots, so the form works without JavaScript). */
export const MEETING_ACTION_SLOTS = 4;

/** Pence as pounds for a page: 12345 → '£123.45'; whole pounds without pence. */
export function formatPounds(pence: number | null): string {
  if (pence === null) return '';
  const pounds = Math.floor(pence / 100);
  const rest = pence % 100;
  const whole = pounds.toLocaleString('en-GB');
  return rest ? `£${whole}.${String(rest).padStart(2, '0')}` : `£${whole}`;
}

/** '123', '123.4', '£1,234.50' → pence; undefined when it is not an amount of money. */
export function parsePounds(input: string): number | undefined {
  const s = input.trim().replace(/^£/, '').replace(/,/g, '');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return undefined;
  const [whole, fraction = ''] = s.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function isNetworkRole(value: string): value is NetworkRole {
  return (NETWORK_ROLES as readonly string[]).includes(value);
}

export function roleLabel(code: string, description: string | null): string {
  const base = isNetworkRole(code) ? NETWORK_ROLE_LABELS[code] : code;
  return description ? `${base} (${description})` : base;
}

export function offerLabels(offers: readonly string[]): string[] {
  return offers.map((o) =>
    (SUPPORT_OFFERS as readonly string[]).includes(o) ? SUPPORT_OFFER_LABELS[o as SupportOffer] : o,
  );
}
