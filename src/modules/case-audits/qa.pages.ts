import { z } from 'zod';
import { FieldProblemsError } from '../../kernel/errors.ts';
import { formatDateGovUk, isoDateOf } from '../../kernel/time/index.ts';
import { definePage, uuidParam } from '../../web/page.ts';
import {
  actionOwnersOf,
  addAction,
  completeAction,
  loadAction,
  saveLearningSummary,
} from './action.service.ts';
import { assignAuditor, assignModerator, loadAssignment } from './assignment.service.ts';
import { ACTION_LEVEL_LABELS, ACTION_LEVELS, GRADE_LABELS, GRADES, type ActionLevel } from './case-audit.ts';
import { loadAudit } from './case-audit.service.ts';
import { gradesOfAudit, saveModeration } from './moderation.service.ts';
import { actionDoneForm, actionForm, assignForm, learningForm } from './qa.schemas.ts';
import { loadProgramme } from './programme.service.ts';

/**
 * Case audit pages for the QA lead and the auditors (issue 20): assigning an audit's auditor or moderator, moderating
 * an audit, setting an action from an audit and marking it done, and the programme's learning summary.
 */

export const QA_PATHS = {
  assign: (id: string) => `/case-audits/audits/${id}/assign`,
  moderate: (id: string) => `/case-audits/audits/${id}/moderate`,
  newAction: (id: string) => `/case-audits/audits/${id}/actions/new`,
  action: (id: string) => `/case-audits/actions/${id}`,
  learning: (id: string) => `/case-audits/programmes/${id}/learning`,
};
const auditPath = (id: string) => `/case-audits/audits/${id}`;

export const assignPage = definePage({
  path: '/case-audits/audits/:auditId/assign',
  view: 'case-audits/views/assign.njk',
  access: 'case-audit:moderate',
  title: 'Assign the audit',
  params: z.object({ auditId: uuidParam }),
  form: assignForm,
  load: async (ctx) => {
    const { audit, auditors } = await loadAssignment(ctx, ctx.params.auditId);
    return {
      audit,
      auditHref: auditPath(audit.id),
      auditorItems: auditors
        .filter((u) => u.id !== audit.auditorId && u.id !== audit.moderatorId)
        .map((u) => ({ value: u.id, text: u.displayName })),
      moderatorItems: auditors
        .filter((u) => u.id !== audit.auditorId && u.id !== audit.moderatorId)
        .map((u) => ({ value: u.id, text: u.displayName })),
      canAssignAuditor: audit.status !== 'completed',
      canAssignModerator: audit.moderationStatus === 'pending',
    };
  },
  submit: async (ctx, form) => {
    if (form.which === 'auditor')
      await assignAuditor(ctx, {
        auditId: ctx.params.auditId,
        auditorId: form.userId,
        version: form.version,
      });
    else
      await assignModerator(ctx, {
        auditId: ctx.params.auditId,
        moderatorId: form.userId,
        version: form.version,
      });
    ctx.flash(form.which === 'auditor' ? 'The audit has a new auditor' : 'The audit has a new moderator');
    return auditPath(ctx.params.auditId);
  },
});

export const moderatePage = definePage({
  path: '/case-audits/audits/:auditId/moderate',
  view: 'case-audits/views/moderate.njk',
  access: 'case-audit:moderate',
  title: (d: { audit: { childName: string } }) => `Moderate the audit of ${d.audit.childName}`,
  params: z.object({ auditId: uuidParam }),
  // One grade and reason per graded area of the audit: the service checks them against the audit's own grades.
  form: z.record(z.string(), z.unknown()),
  audit: {
    action: 'case-audit.viewed',
    subjectType: 'case-audit',
    subject: (ctx, data: { audit: { childId: string; childName: string } }) => ({
      subjectId: ctx.params.auditId,
      childId: data.audit.childId,
      details: { for: 'moderation' },
    }),
  },
  load: async (ctx) => {
    const data = await loadAudit(ctx, ctx.params.auditId);
    const grades = await gradesOfAudit(ctx.db, data.audit.id);
    const title = (area: string) => data.template.sections.find((s) => s.id === area)?.title ?? area;
    return {
      audit: data.audit,
      auditHref: auditPath(data.audit.id),
      mayModerate: data.audit.moderationStatus === 'pending' && data.audit.moderatorId === ctx.user.id,
      areas: grades.map((g) => {
        const evidence = data.audit.answers[g.area]?.evidence;
        return {
          id: g.area,
          title: title(g.area),
          original: g.grade,
          originalLabel: GRADE_LABELS[g.grade],
          evidence: typeof evidence === 'string' ? evidence : '',
        };
      }),
      gradeOptions: GRADES.map((g) => ({ value: g, text: GRADE_LABELS[g] })),
    };
  },
  submit: async (ctx, body) => {
    const version =
      typeof body.version === 'string' && /^\d+$/.test(body.version) ? Number(body.version) : undefined;
    try {
      const { changed } = await saveModeration(ctx, { auditId: ctx.params.auditId, body, version });
      ctx.flash(
        changed
          ? `Moderation recorded: ${changed} ${changed === 1 ? 'grade' : 'grades'} changed`
          : 'Moderation recorded: you agreed with every grade',
      );
      return auditPath(ctx.params.auditId);
    } catch (error) {
      if (error instanceof FieldProblemsError) return { errors: [...error.problems] };
      throw error;
    }
  },
});

export const newActionPage = definePage({
  path: '/case-audits/audits/:auditId/actions/new',
  view: 'case-audits/views/action-new.njk',
  access: 'case-audit:conduct',
  title: 'Set an action from the audit',
  params: z.object({ auditId: uuidParam }),
  form: ({ today }) => actionForm(today),
  load: async (ctx) => {
    const data = await loadAudit(ctx, ctx.params.auditId);
    const owners = await actionOwnersOf(ctx.db, data.audit.localAuthorityId);
    return {
      audit: data.audit,
      auditHref: auditPath(data.audit.id),
      levels: ACTION_LEVELS.map((l) => ({ value: l, text: ACTION_LEVEL_LABELS[l] })),
      owners: owners.map((o) => ({ value: o.id, text: o.displayName })),
    };
  },
  submit: async (ctx, form) => {
    await addAction(ctx, {
      auditId: ctx.params.auditId,
      level: form.level,
      description: form.description,
      ownerId: form.ownerId,
      dueOn: form.dueOn!,
    });
    ctx.flash('Action set: it is on its owner’s worktray until it is done');
    return auditPath(ctx.params.auditId);
  },
});

export const actionPage = definePage({
  path: '/case-audits/actions/:actionId',
  view: 'case-audits/views/action.njk',
  access: 'signed-in',
  title: 'Case audit action',
  params: z.object({ actionId: uuidParam }),
  form: actionDoneForm,
  audit: {
    action: 'case-audit-action.viewed',
    subjectType: 'case-audit-action',
    subject: (ctx, data: { action: { childId: string } }) => ({
      subjectId: ctx.params.actionId,
      childId: data.action.childId,
    }),
  },
  load: async (ctx) => {
    const action = await loadAction(ctx, ctx.params.actionId);
    return {
      action: {
        ...action,
        levelLabel: ACTION_LEVEL_LABELS[action.level as ActionLevel] ?? action.level,
        overdue: action.status === 'open' && action.dueOn < isoDateOf(ctx.now),
        dueText: formatDateGovUk(action.dueOn),
      },
    };
  },
  submit: async (ctx, form) => {
    await completeAction(ctx, { actionId: ctx.params.actionId, note: form.note, version: form.version });
    ctx.flash('The action is done');
    return QA_PATHS.action(ctx.params.actionId);
  },
});

export const learningPage = definePage({
  path: '/case-audits/programmes/:programmeId/learning',
  view: 'case-audits/views/learning.njk',
  access: 'case-audit:conduct',
  title: 'Learning summary',
  params: z.object({ programmeId: uuidParam }),
  form: learningForm,
  load: async (ctx) => {
    const data = await loadProgramme(ctx, { programmeId: ctx.params.programmeId, page: 1 });
    return {
      programme: data.programme,
      programmeHref: `/case-audits/programmes/${data.programme.id}`,
      mayEdit: data.programme.createdBy === ctx.user.id,
    };
  },
  submit: async (ctx, form) => {
    await saveLearningSummary(ctx, {
      programmeId: ctx.params.programmeId,
      summary: form.summary,
      version: form.version,
    });
    ctx.flash('Learning summary saved');
    return `/case-audits/programmes/${ctx.params.programmeId}`;
  },
});

export const qaPages = [assignPage, moderatePage, newActionPage, actionPage, learningPage];
