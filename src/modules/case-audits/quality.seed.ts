import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { addCalendarDays, isoDateOf } from '../../kernel/time/index.ts';
import type { SeededOrganisation } from '../admin/index.ts';
import { SURVEY_KEYS } from './feedback.ts';

/**
 * Demonstration data for observations of practice and family feedback (synthetic): the team manager's observations
 * of the social worker (one completed with the worker's reflection, one shared and waiting for it), and answers from
 * families to the surveys, online and on paper, anonymous and named, across two teams and both services.
 */
export async function seedDemoQuality(
  trx: Transaction<DB>,
  org: SeededOrganisation,
  now: Date,
): Promise<{ observations: number; feedback: number }> {
  const today = isoDateOf(now);
  const day = (n: number) => addCalendarDays(today, n);
  const user = (email: string) => org.users.get(email)!;
  const observations = [
    {
      observedOn: day(-40),
      setting: 'home-visit',
      strengths:
        'Explained the worries to the parents in plain words and checked they understood. Saw the child alone.',
      toDevelop: 'Write up the child’s own words during the visit rather than afterwards.',
      workerReflection:
        'I will take a notebook the child can draw in, and note their words as they say them.',
      status: 'completed',
    },
    {
      observedOn: day(-6),
      setting: 'conference',
      strengths: 'A clear, balanced report; the family’s strengths were named first.',
      toDevelop: 'Share the report with the family two working days before, as the procedures ask.',
      workerReflection: null,
      status: 'shared',
    },
  ];
  for (const o of observations) {
    await trx
      .insertInto('practiceObservations')
      .values({
        localAuthorityId: org.richmondId,
        observerId: user('team.manager'),
        workerId: user('social.worker'),
        observedOn: o.observedOn,
        setting: o.setting,
        strengths: o.strengths,
        toDevelop: o.toDevelop,
        workerReflection: o.workerReflection,
        status: o.status,
        sharedAt: now,
        reflectedAt: o.workerReflection ? now : null,
        completedAt: o.status === 'completed' ? now : null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
  }
  const templates = new Map(
    (
      await trx
        .selectFrom('formTemplates')
        .select(['id', 'key'])
        .where('key', 'in', Object.values(SURVEY_KEYS))
        .where('version', '=', 1)
        .execute()
    ).map((t) => [t.key, t.id]),
  );
  const responses: {
    team: string;
    service: 'early-help' | 'social-care';
    point: 'assessment' | 'plan-review' | 'closure';
    audience: 'child' | 'adult';
    answers: [string, string, string, string];
    words: string | null;
    name: string | null;
    channel: 'online' | 'paper';
    daysAgo: number;
  }[] = [
    {
      team: 'Assessment Team',
      service: 'social-care',
      point: 'assessment',
      audience: 'adult',
      answers: ['yes', 'yes', 'better', 'yes'],
      words: 'Our social worker was honest with us and explained everything.',
      name: null,
      channel: 'online',
      daysAgo: 3,
    },
    {
      team: 'Assessment Team',
      service: 'social-care',
      point: 'plan-review',
      audience: 'child',
      answers: ['yes', 'a-bit', 'same', 'not-sure'],
      words: 'I liked it when we played cards. I want to see my dad more.',
      name: null,
      channel: 'paper',
      daysAgo: 9,
    },
    {
      team: 'Children in Need Team',
      service: 'social-care',
      point: 'closure',
      audience: 'adult',
      answers: ['a-bit', 'yes', 'better', 'yes'],
      words: 'It took a while to get started but things are calmer at home now.',
      name: 'A parent who asked to be named',
      channel: 'online',
      daysAgo: 15,
    },
    {
      team: 'Children in Need Team',
      service: 'social-care',
      point: 'plan-review',
      audience: 'adult',
      answers: ['no', 'a-bit', 'same', 'no'],
      words: 'We had three different workers and had to tell our story each time.',
      name: null,
      channel: 'online',
      daysAgo: 21,
    },
    {
      team: 'Assessment Team',
      service: 'social-care',
      point: 'closure',
      audience: 'child',
      answers: ['yes', 'yes', 'better', 'yes'],
      words: null,
      name: null,
      channel: 'online',
      daysAgo: 30,
    },
  ];
  const ids = ['listened', 'helped', 'thingsBetter', 'knowsNext'] as const;
  for (const r of responses) {
    await trx
      .insertInto('feedbackResponses')
      .values({
        localAuthorityId: org.richmondId,
        service: r.service,
        point: r.point,
        teamId: org.teams.get(r.team) ?? null,
        audience: r.audience,
        templateId: templates.get(SURVEY_KEYS[r.audience])!,
        answers: JSON.stringify({
          feedback: {
            ...Object.fromEntries(ids.map((id, i) => [id, r.answers[i]])),
            words: r.words ?? undefined,
          },
        }),
        words: r.words,
        respondentName: r.name,
        channel: r.channel,
        givenOn: day(-r.daysAgo),
        recordedBy: r.channel === 'paper' ? user('qa.officer') : null,
      })
      .execute();
  }
  return { observations: observations.length, feedback: responses.length };
}
