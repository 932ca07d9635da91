import { z } from 'zod';
import { numberedPagination, pageHref } from '../../web/pagination.ts';
import { AccessDeniedError } from '../../kernel/errors.ts';
import { dateToParts } from '../../kernel/forms/fields.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import {
  OBSERVATION_PATHS,
  OBSERVATION_SETTING_LABELS,
  OBSERVATION_STATUS_LABELS,
  OBSERVATIONS_PAGE_SIZE,
  observationsOfWorker,
} from '../case-audits/index.ts';
import {
  ASYE_POINT_LABELS,
  ASYE_POINTS,
  ASYE_STATUS_LABELS,
  ASYE_STATUSES,
  CONTRACT_LABELS,
  CONTRACT_TYPES,
  type AsyePoint,
  type AsyeStatus,
  type ContractType,
} from './worker-profile.ts';
import { asyeReviewForm, trainingForm, workerProfileForm } from './worker-profile.schemas.ts';
import {
  assessorOptions,
  loadWorkerProfile,
  recordAsyeReview,
  recordTraining,
  saveWorkerProfile,
  TRAINING_PAGE_SIZE,
} from './worker-profile.service.ts';

/** Worker profiles: the profile, its edit form (HR fields, registration, ASYE), an ASYE review and a training record. */

export const PROFILE_PATHS = {
  profile: (userId: string) => `/workforce/workers/${userId}`,
  edit: (userId: string) => `/workforce/workers/${userId}/edit`,
  asyeReview: (userId: string) => `/workforce/workers/${userId}/asye-reviews/new`,
  training: (userId: string) => `/workforce/workers/${userId}/training/new`,
};

const params = z.object({ userId: uuidParam });
const subject = (ctx: { params: { userId: string } }) => ({ subjectId: ctx.params.userId });

export const workerProfilePage = definePage({
  path: '/workforce/workers/:userId',
  view: 'workforce/views/profile.njk',
  access: 'signed-in',
  title: (d: { worker: { displayName: string } }) => `Worker profile: ${d.worker.displayName}`,
  params,
  query: z.object({
    page: z.coerce.number().int().min(1).max(10_000).catch(1),
    observations: z.coerce.number().int().min(1).max(10_000).catch(1),
  }),
  audit: { action: 'worker-profile.viewed', subjectType: 'user', subject },
  load: async (ctx) => {
    const data = await loadWorkerProfile(ctx, { userId: ctx.params.userId, trainingPage: ctx.query.page });
    const p = data.profile;
    const pages = Math.max(1, Math.ceil(data.trainingTotal / TRAINING_PAGE_SIZE));
    // Direct observations of practice (kept by case-audits), on the worker's development record.
    const observations = await observationsOfWorker(ctx, {
      workerId: data.worker.id,
      page: ctx.query.observations,
    });
    const observationPages = Math.max(1, Math.ceil(observations.total / OBSERVATIONS_PAGE_SIZE));
    return {
      ...data,
      observations: observations.rows.map((o) => ({
        ...o,
        href: OBSERVATION_PATHS.one(o.id),
        settingLabel:
          OBSERVATION_SETTING_LABELS[o.setting as keyof typeof OBSERVATION_SETTING_LABELS] ?? o.setting,
        statusLabel:
          OBSERVATION_STATUS_LABELS[o.status as keyof typeof OBSERVATION_STATUS_LABELS] ?? o.status,
      })),
      observationsTotal: observations.total,
      observationsPagination: numberedPagination(
        Math.min(ctx.query.observations, observationPages),
        observationPages,
        (n) => pageHref(ctx.request.url, n, 'observations'),
      ),
      paths: {
        edit: PROFILE_PATHS.edit(data.worker.id),
        asyeReview: PROFILE_PATHS.asyeReview(data.worker.id),
        training: PROFILE_PATHS.training(data.worker.id),
        caseload: `/workforce/workers/${data.worker.id}/caseload`,
      },
      contractLabel: p ? CONTRACT_LABELS[p.contractType as ContractType] : null,
      asyeLabel: p ? ASYE_STATUS_LABELS[p.asyeStatus as AsyeStatus] : null,
      reviews: data.reviews.map((r) => ({ ...r, label: ASYE_POINT_LABELS[r.reviewPoint as AsyePoint] })),
      outstanding: data.outstanding.map((o) => ({ ...o, label: ASYE_POINT_LABELS[o.point] })),
      pagination: numberedPagination(Math.min(ctx.query.page, pages), pages, (n) =>
        pageHref(ctx.request.url, n),
      ),
    };
  },
});

export const editWorkerProfilePage = definePage({
  path: '/workforce/workers/:userId/edit',
  view: 'workforce/views/profile-edit.njk',
  access: 'signed-in',
  title: (d: { worker: { displayName: string } }) => `Change the profile of ${d.worker.displayName}`,
  params,
  form: ({ today }) => workerProfileForm(today),
  labels: {
    contractType: 'Contract',
    fte: 'FTE',
    startedOn: 'Start date',
    leftOn: 'Leaving date',
    leavingReason: 'Reason for leaving',
    sweRegistrationNumber: 'Social Work England registration number',
    sweRenewalOn: 'Registration renewal date',
    asyeStatus: 'ASYE status',
    asyeAssessorId: 'ASYE assessor',
    asyeStartedOn: 'ASYE start date',
    asyeOutcomeOn: 'ASYE outcome date',
  },
  audit: { action: 'worker-profile-form.viewed', subjectType: 'user', subject },
  load: async (ctx) => {
    const data = await loadWorkerProfile(ctx, { userId: ctx.params.userId });
    if (!data.canEdit) {
      throw new AccessDeniedError('supervision:record');
    }
    const p = data.profile;
    const assessors = await assessorOptions(ctx.db, data.worker.localAuthorityId);
    return {
      worker: data.worker,
      backHref: PROFILE_PATHS.profile(data.worker.id),
      contractItems: CONTRACT_TYPES.map((c) => ({ value: c, text: CONTRACT_LABELS[c] })),
      asyeItems: ASYE_STATUSES.map((s) => ({ value: s, text: ASYE_STATUS_LABELS[s] })),
      assessors: assessors
        .filter((a) => a.id !== data.worker.id)
        .map((a) => ({ value: a.id, text: `${a.displayName}${a.jobTitle ? `, ${a.jobTitle}` : ''}` })),
      saved: {
        contractType: p?.contractType ?? 'permanent',
        fte: p ? String(Number(p.fte)) : '1',
        leavingReason: p?.leavingReason ?? '',
        sweRegistrationNumber: p?.sweRegistrationNumber ?? '',
        asyeStatus: p?.asyeStatus ?? 'not-applicable',
        asyeAssessorId: p?.asyeAssessorId ?? '',
        ...dateToParts('startedOn', p?.startedOn),
        ...dateToParts('leftOn', p?.leftOn),
        ...dateToParts('sweRenewalOn', p?.sweRenewalOn),
        ...dateToParts('asyeStartedOn', p?.asyeStartedOn),
        ...dateToParts('asyeOutcomeOn', p?.asyeOutcomeOn),
        version: String(data.version),
      },
    };
  },
  submit: async (ctx, form) => {
    await saveWorkerProfile(ctx, { ...form, userId: ctx.params.userId });
    ctx.flash('Profile saved');
    return PROFILE_PATHS.profile(ctx.params.userId);
  },
});

export const asyeReviewPage = definePage({
  path: '/workforce/workers/:userId/asye-reviews/new',
  view: 'workforce/views/asye-review.njk',
  access: 'signed-in',
  title: 'Record an ASYE review',
  params,
  form: ({ today }) => asyeReviewForm(today),
  audit: { action: 'asye-review-form.viewed', subjectType: 'user', subject },
  load: async (ctx) => {
    const data = await loadWorkerProfile(ctx, { userId: ctx.params.userId });
    if (!data.canRecordAsye) {
      throw new AccessDeniedError('supervision:record');
    }
    const recorded = data.reviews.map((r) => r.reviewPoint);
    return {
      worker: data.worker,
      backHref: PROFILE_PATHS.profile(data.worker.id),
      points: ASYE_POINTS.filter((p) => !recorded.includes(p)).map((p) => ({
        value: p,
        text: ASYE_POINT_LABELS[p],
      })),
      saved: { point: data.outstanding[0]?.point ?? '' },
    };
  },
  submit: async (ctx, form) => {
    await recordAsyeReview(ctx, { ...form, heldOn: form.heldOn!, userId: ctx.params.userId });
    ctx.flash('ASYE review recorded');
    return PROFILE_PATHS.profile(ctx.params.userId);
  },
});

export const trainingRecordPage = definePage({
  path: '/workforce/workers/:userId/training/new',
  view: 'workforce/views/training-new.njk',
  access: 'signed-in',
  title: 'Record training or development',
  params,
  form: ({ today }) => trainingForm(today),
  audit: { action: 'training-form.viewed', subjectType: 'user', subject },
  load: async (ctx) => {
    const data = await loadWorkerProfile(ctx, { userId: ctx.params.userId });
    if (!data.canRecordTraining) {
      throw new AccessDeniedError('supervision:record');
    }
    return { worker: data.worker, backHref: PROFILE_PATHS.profile(data.worker.id) };
  },
  submit: async (ctx, form) => {
    await recordTraining(ctx, { ...form, completedOn: form.completedOn!, userId: ctx.params.userId });
    ctx.flash('Training recorded');
    return PROFILE_PATHS.profile(ctx.params.userId);
  },
});

export const workerProfilePages = [
  workerProfilePage,
  editWorkerProfilePage,
  asyeReviewPage,
  trainingRecordPage,
];
