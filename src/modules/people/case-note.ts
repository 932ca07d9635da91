/** Case notes: types and the rules on what each type records. */

export const CASE_NOTE_TYPES = ['visit', 'phone-call', 'meeting', 'observation', 'management-note'] as const;
export type CaseNoteType = (typeof CASE_NOTE_TYPES)[number];

export const CASE_NOTE_TYPE_LABELS: Record<CaseNoteType, string> = {
  visit: 'Visit',
  'phone-call': 'Phone call',
  meeting: 'Meeting',
  observation: 'Observation',
  'management-note': 'Management note',
};

export const CASE_NOTE_TYPE_HINTS: Record<CaseNoteType, string> = {
  visit:
    'A home, school or other visit: record whether the child was seen, seen alone, and their bedroom seen',
  'phone-call': 'A call with the family or a professional',
  meeting: 'A meeting about the child, for example a strategy meeting or core group',
  observation: 'Something you saw or were told',
  'management-note': 'A manager’s direction or oversight (managers only)',
};

/** Managers record management notes (management oversight on the child's record). */
export const MANAGEMENT_NOTE_PERMISSIONS = ['allocation:manage', 'supervision:record'] as const;

/** The "seen" summary of a visit for lists and the chronology: 'Child seen alone; bedroom seen'. */
export function describeVisit(n: {
  childSeen: boolean | null;
  seenAlone: boolean | null;
  bedroomSeen: boolean | null;
}): string {
  if (n.childSeen === null) return '';
  const parts = [
    n.childSeen ? (n.seenAlone ? 'Child seen alone' : 'Child seen, not alone') : 'Child not seen',
  ];
  if (n.bedroomSeen !== null) parts.push(n.bedroomSeen ? 'bedroom seen' : 'bedroom not seen');
  return parts.join('; ');
}
