import { formatDateGovUk } from '../../kernel/time/index.ts';

/**
 * The emails early help sends a worker (issue 23, item 4): a new allocation as lead practitioner, and being added to
 * a team around the family. Like social care's allocation email they say who did it and from when, and link to the
 * episode: never a child's or family member's name, the episode's reference or anything about the family.
 */

export function leadPractitionerEmail(facts: { allocatedBy: string; teamName: string; startedOn: string }): {
  subject: string;
  text: string;
} {
  return {
    subject: 'Threshold: you are the lead practitioner for a family’s early help',
    text: [
      'Hello,',
      '',
      `${facts.allocatedBy} has made you the lead practitioner for a family’s early help in ${facts.teamName}, from ${formatDateGovUk(facts.startedOn)}.`,
      '',
      'To keep the family’s information safe, this email does not say who it is about. Sign in to Threshold to see it:',
    ].join('\n'),
  };
}

export function teamMemberEmail(facts: { addedBy: string; addedOn: string }): {
  subject: string;
  text: string;
} {
  return {
    subject: 'Threshold: you have been added to a team around the family',
    text: [
      'Hello,',
      '',
      `${facts.addedBy} has added you to the team around a family getting early help, from ${formatDateGovUk(facts.addedOn)}.`,
      '',
      'To keep the family’s information safe, this email does not say who it is about. Sign in to Threshold to see it:',
    ].join('\n'),
  };
}
