/**
 * Case audits (issue 20): a completed practice audit's form body (every area graded with evidence, the impact for the
 * child and the worker's reflection), as the audit page posts it.
 */
export const AUDIT_AREAS = [
  'frontDoor',
  'assessment',
  'planning',
  'childsVoice',
  'oversight',
  'multiAgency',
  'recording',
] as const;

export function aCompletedAuditBody(
  grades: Partial<Record<(typeof AUDIT_AREAS)[number], string>> = {},
): Record<string, string> {
  const body: Record<string, string> = {};
  for (const area of AUDIT_AREAS) {
    body[`${area}__grade`] = grades[area] ?? 'good';
    body[`${area}__evidence`] = `Evidence for ${area}: the record shows it`;
  }
  body.impact__whatChanged = 'Attends school every day and sleeps at home';
  body.impact__evidence = 'Attendance up from 70% to 96%; the child’s own words at the last visit';
  body.reflection__workerReflection = 'I would have involved the school nurse sooner';
  return body;
}
