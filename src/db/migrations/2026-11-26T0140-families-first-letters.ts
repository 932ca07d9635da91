import { sql, type Kysely } from 'kysely';

/**
 * Families First letters (issue 22): the default template of the offer of a family group decision making meeting
 * (one letter to each person with parental responsibility offered a meeting), and a second version of the letter
 * before proceedings that uses the dates from the pre-proceedings record. The new version is added only while the
 * authority still has the default it was given (version 1, unedited): an administrator's own wording is kept.
 *
 * The texts are written here as they were the day this migration landed (plain English, copied as data, not
 * imported from the module).
 */
const LBP = {
  title: 'Letter before proceedings',
  subject: 'Letter before proceedings about {{ child.fullName }}',
  body: `Dear {{ parentNames or "parent" }},

This is an important letter. Please read it carefully and take it to a solicitor straight away.

We are very worried about {{ child.fullName }}. On {{ legalPlanningMeeting.date }} we met with our lawyers and decided that, unless things change, we may need to ask the family court to make decisions about {{ child.firstName }}. Before we do that, we want to work with you to make things better. This is called pre-proceedings.

What we are worried about:
{% for concern in concerns %}
- {{ concern }}
{% endfor %}

{{ fgdmOffer }}

What happens next:
- We will invite you and your solicitor to a meeting{% if initialMeetingBy %} by {{ initialMeetingBy }}{% endif %}. At the meeting we will agree a plan with you: what needs to change, who will help, and by when.
- We will meet again to see how things are going.
{% if decisionBy %}- By {{ decisionBy }} we will decide whether things have changed enough, or whether we need to apply to the court.
{% endif %}
You are entitled to free legal advice from a solicitor who works with families and children’s services: you will not have to pay for it. Please show the solicitor this letter. If you need help to find one, contact {{ worker.name }}.

If you need an interpreter, or help to read this letter, please tell {{ worker.name }}.`,
};

const FGDM_OFFER = {
  kind: 'fgdm-offer',
  title: 'Offer of a family group decision making meeting',
  subject: 'A family meeting to make a plan for {{ child.firstName }}',
  body: `Dear {{ offer.to }},

We are writing to offer you a family group decision making meeting (sometimes called a family group conference) about {{ child.fullName }}.

At the meeting, you, your family, your friends and other people who matter to {{ child.firstName }} come together to make a plan to keep {{ child.firstName }} safe and well. You choose who to invite.{% if service %} An independent coordinator from {{ service }}{% else %} An independent coordinator{% endif %}, who is not {{ child.firstName }}’s social worker, will help you get ready and will run the meeting. Your family will have time on its own to make its plan. We will agree to the plan if it keeps {{ child.firstName }} safe.

The law says we must offer you this meeting before we apply to the family court. It is your choice whether to have one, but we think it is the best way for your family to have a say in the plan for {{ child.firstName }}.

We made this offer on {{ offer.date }}. Please tell {{ worker.name }} as soon as you can whether you would like a meeting.`,
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`insert into letter_templates (kind, version, title, subject, body, notes)
    values (${FGDM_OFFER.kind}, 1, ${FGDM_OFFER.title}, ${FGDM_OFFER.subject}, ${FGDM_OFFER.body}, 'Default template')
    on conflict (kind, version) do nothing`.execute(db);
  await sql`insert into letter_templates (kind, version, title, subject, body, notes)
    select 'letter-before-proceedings', 2, ${LBP.title}, ${LBP.subject}, ${LBP.body},
      'Default template: the dates from the pre-proceedings record'
    where (select max(version) from letter_templates where kind = 'letter-before-proceedings') = 1
      and exists (select 1 from letter_templates
        where kind = 'letter-before-proceedings' and version = 1 and created_by is null)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
