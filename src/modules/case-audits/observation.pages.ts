import { z } from 'zod';
import { AccessDeniedError } from '../../kernel/errors.ts';
import {
  choice,
  dateToParts,
  govukDate,
  optionalChoice,
  optionalText,
  recordVersion,
} from '../../kernel/forms/fields.ts';
import { numberedPagination, pageHref } from '../../web/pagination.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import {
  OBSERVATION_SETTINGS,
  OBSERVATION_STATUS_LABELS,
  SETTING_LABELS,
  type ObservationSetting,
  type ObservationStatus,
} from './observation.ts';
import {
  canObserve,
  createObservation,
  loadObservation,
  myObservations,
  observableWorkers,
  OBSERVATIONS_PAGE_SIZE,
  saveObservation,
} from './observation.service.ts';

/**
 * Direct observations of practice: the user's observations (made, and of their own practice), recording one, and
 * one observation (the observer's draft form; the worker's reflection; the observer's completion; read-only after).
 */

export const OBSERVATION_PATHS = {
  list: '/case-audits/observations',
  new: '/case-audits/observations/new',
  one: (id: string) => `/case-audits/observations/${id}`,
};

const settingItems = OBSERVATION_SETTINGS.map((v) => ({ value: v, text: SETTING_LABELS[v] }));
const pages = (total: number) => Math.max(1, Math.ceil(total / OBSERVATIONS_PAGE_SIZE));

type Row = { id: string; setting: string; status: string };
const listRow = <T extends Row>(r: T) => ({
  ...r,
  href: OBSERVATION_PATHS.one(r.id),
  settingLabel: SETTING_LABELS[r.setting as ObservationSetting] ?? r.setting,
  statusLabel: OBSERVATION_STATUS_LABELS[r.status as ObservationStatus] ?? r.status,
});

export const observationsPage = definePage({
  path: OBSERVATION_PATHS.list,
  view: 'case-audits/views/observations.njk',
  access: 'signed-in',
  title: 'Observations of practice',
  query: z.object({
    page: z.coerce.number().int().min(1).max(10_000).catch(1),
    mine: z.coerce.number().int().min(1).max(10_000).catch(1),
  }),
  audit: { action: 'practice-observations.viewed', subjectType: 'practice-observation' },
  load: async (ctx) => {
    const data = await myObservations(ctx, { madePage: ctx.query.page, ofMePage: ctx.query.mine });
    const madePages = pages(data.made.total);
    const ofMePages = pages(data.ofMe.total);
    return {
      canObserve: canObserve(ctx.user),
      newHref: OBSERVATION_PATHS.new,
      made: data.made.rows.map(listRow),
      madeTotal: data.made.total,
      madePagination: numberedPagination(Math.min(ctx.query.page, madePages), madePages, (n) =>
        pageHref(ctx.request.url, n),
      ),
      ofMe: data.ofMe.rows.map(listRow),
      ofMeTotal: data.ofMe.total,
      ofMePagination: numberedPagination(Math.min(ctx.query.mine, ofMePages), ofMePages, (n) =>
        pageHref(ctx.request.url, n, 'mine'),
      ),
    };
  },
});

const observationFields = (today: string) => ({
  observedOn: govukDate({ label: 'Date of the observation', when: 'past', today: () => today }),
  setting: optionalChoice(OBSERVATION_SETTINGS, 'Select what you observed'),
  settingDetail: optionalText(500, 'What you observed must be 500 characters or fewer'),
  strengths: optionalText(10_000, 'Strengths must be 10,000 characters or fewer'),
  toDevelop: optionalText(10_000, 'What to develop must be 10,000 characters or fewer'),
});

export const newObservationPage = definePage({
  path: OBSERVATION_PATHS.new,
  view: 'case-audits/views/observation-new.njk',
  access: 'signed-in',
  title: 'Record an observation of practice',
  form: ({ today }) =>
    z.object({
      workerId: z.preprocess((v) => (v === '' ? undefined : v), z.uuid('Select the worker you observed')),
      ...observationFields(today),
    }),
  load: async (ctx) => {
    if (!canObserve(ctx.user)) throw new AccessDeniedError('case-audit:conduct');
    const workers = await observableWorkers(ctx);
    return {
      workers: workers.map((w) => ({
        value: w.id,
        text: w.teamName ? `${w.displayName} (${w.teamName})` : w.displayName,
      })),
      settings: settingItems,
    };
  },
  submit: async (ctx, form) => {
    const id = await createObservation(ctx, form);
    ctx.flash('The observation has been saved as a draft. Share it with the worker when it is ready.');
    return OBSERVATION_PATHS.one(id);
  },
});

export const observationPage = definePage({
  path: '/case-audits/observations/:observationId',
  view: 'case-audits/views/observation.njk',
  access: 'signed-in',
  title: (d: { observation: { workerName: string } }) => `Observation of ${d.observation.workerName}`,
  params: z.object({ observationId: uuidParam }),
  form: ({ today }) =>
    z.object({
      action: choice(['save', 'share', 'reflect', 'complete'] as const, 'Choose what to do'),
      version: recordVersion(),
      ...observationFields(today),
      workerReflection: optionalText(10_000, 'Your reflection must be 10,000 characters or fewer'),
    }),
  labels: {
    observedOn: 'Date of the observation',
    setting: 'What you observed',
    settingDetail: 'What you observed',
    strengths: 'Strengths',
    toDevelop: 'What to develop',
    workerReflection: 'The worker’s reflection',
  },
  audit: {
    action: 'practice-observation.viewed',
    subjectType: 'practice-observation',
    subject: (ctx) => ({ subjectId: ctx.params.observationId }),
  },
  load: async (ctx) => {
    const data = await loadObservation(ctx, ctx.params.observationId);
    const o = data.observation;
    return {
      ...data,
      settingLabel: SETTING_LABELS[o.setting as ObservationSetting] ?? o.setting,
      statusLabel: OBSERVATION_STATUS_LABELS[o.status as ObservationStatus] ?? o.status,
      settings: settingItems,
      listHref: OBSERVATION_PATHS.list,
      saved: {
        version: o.version,
        ...dateToParts('observedOn', o.observedOn),
        setting: o.setting,
        settingDetail: o.settingDetail ?? '',
        strengths: o.strengths ?? '',
        toDevelop: o.toDevelop ?? '',
        workerReflection: o.workerReflection ?? '',
      },
    };
  },
  submit: async (ctx, form) => {
    const status = await saveObservation(ctx, { id: ctx.params.observationId, ...form });
    ctx.flash(
      form.action === 'reflect'
        ? 'Your reflection has been added'
        : status === 'shared'
          ? 'The observation has been shared with the worker'
          : status === 'completed'
            ? 'The observation is complete'
            : 'The observation has been saved',
    );
    return OBSERVATION_PATHS.one(ctx.params.observationId);
  },
});

export const observationPages = [observationsPage, newObservationPage, observationPage];
