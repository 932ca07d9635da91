import { z } from 'zod';
import { addCalendarDays, formatDateGovUk, isIsoDate, isoDateOf } from '../../kernel/time/index.ts';
import { integer } from '../../kernel/forms/fields.ts';
import { definePage } from '../../web/page.ts';
import { pagination } from '../../web/pagination.ts';
import { pathTo } from '../../web/paths.ts';
import { barChart } from './chart.ts';
import { DEFAULT_SETTINGS, signed } from './early-help.ts';
import {
  computeImpact,
  DRILL_DOWN_METRICS,
  drillDown,
  FIRST_MEETING_BUCKETS,
  RECONTACT_BUCKETS,
  SUSTAINED_SCOPES,
  type DrillDownMetric,
} from './impact.ts';
import { feedbackByClusterAndAgency } from './feedback-results.ts';
import { drillDownEpisodes, impactClusters, loadImpactInput, localAuthorityName } from './impact.service.ts';
import { earlyHelpSettings, saveEarlyHelpSettings } from './settings.ts';
import { EH_PATHS, ehPath } from './paths.ts';
import { pageNumber, PAGE_SIZE } from './pages-common.ts';

const isoQuery = z.string().refine(isIsoDate).optional().catch(undefined);
const periodQuery = { from: isoQuery, to: isoQuery, cluster: z.uuid().optional().catch(undefined) };

function period(
  q: { from?: string | undefined; to?: string | undefined; cluster?: string | undefined },
  today: string,
) {
  const to = q.to && q.to <= today ? q.to : today;
  const from = q.from && q.from <= to ? q.from : addCalendarDays(to, -364);
  return { from, to, clusterId: q.cluster };
}

const pct = (n: number | null) => (n === null ? '–' : `${n}%`);

/** The share of families whose outcomes were achieved, per group (cluster or lead agency), as a bar chart. */
function improvedChart(
  id: string,
  title: string,
  groups: readonly { label: string; improvedShare: number | null; improved: number; n: number }[],
) {
  return barChart({
    id,
    title,
    description:
      groups.map((c) => `${c.label}: ${pct(c.improvedShare)} (${c.improved} of ${c.n})`).join('. ') ||
      'No episodes closed in the period.',
    bars: groups.map((c) => ({ label: c.label, value: c.improvedShare ?? 0, display: pct(c.improvedShare) })),
    max: 100,
  });
}

export const impactPage = definePage({
  path: EH_PATHS.impact,
  view: 'early-help/views/impact.njk',
  access: 'early-help:oversee',
  title: 'The impact of early help',
  query: z.object(periodQuery),
  audit: {
    action: 'early-help-impact.viewed',
    subjectType: 'report',
    subject: (ctx) => ({
      details: { from: ctx.query.from ?? null, to: ctx.query.to ?? null, cluster: ctx.query.cluster ?? null },
    }),
  },
  load: async (ctx) => {
    const today = isoDateOf(ctx.now);
    const p = period(ctx.query, today);
    const input = await loadImpactInput(ctx, p);
    const impact = computeImpact(input);
    const q = { from: p.from, to: p.to, cluster: p.clusterId };
    const drill = (metric: DrillDownMetric, key?: string) =>
      pathTo(EH_PATHS.impactEpisodes, {}, { ...q, metric, key });
    const clusters = await impactClusters(ctx);
    // What families told us at reviews and closure, by cluster and lead agency (counted in SQL).
    const feedback = await feedbackByClusterAndAgency(ctx.db, {
      localAuthorityIds: ctx.user.localAuthorityIds,
      from: p.from,
      to: p.to,
      clusterId: p.clusterId,
    });
    const charts = {
      domains: barChart({
        id: 'chart-domains',
        title: 'Average change in domain scores, start to closure',
        description: impact.domains
          .map(
            (d) =>
              `${d.label}: ${d.averageChange === null ? 'no scores' : `${signed(d.averageChange)} on average (from ${d.averageFirst} to ${d.averageClosing}), ${d.improved} of ${d.n} families improved`}`,
          )
          .join('. '),
        bars: impact.domains.map((d) => ({
          label: d.label,
          value: d.averageChange ?? 0,
          display: d.averageChange === null ? 'No data' : signed(d.averageChange),
        })),
        max: 4,
        min: -4,
      }),
      clusters: improvedChart(
        'chart-clusters',
        'Families whose outcomes were achieved, by cluster',
        impact.clusters,
      ),
      agencies: improvedChart(
        'chart-agencies',
        'Families whose outcomes were achieved, by lead agency',
        impact.agencies,
      ),
      needs: barChart({
        id: 'chart-needs',
        title: 'Goals achieved, by Supporting Families outcome',
        description:
          impact.needs
            .map((n) => `${n.label}: ${pct(n.achievedShare)} of ${n.goals} goals achieved`)
            .join('. ') || 'No goals in episodes closed in the period.',
        bars: impact.needs.map((n) => ({
          label: n.label,
          value: n.achievedShare ?? 0,
          display: pct(n.achievedShare),
        })),
        max: 100,
      }),
      sustained: barChart({
        id: 'chart-sustained',
        title: 'Families whose outcomes were sustained at the follow-up',
        description: impact.sustained.scopes
          .map(
            (c) => `${c.label}: ${c.checked ? `${pct(c.share)} (${c.yes} of ${c.checked})` : 'none checked'}`,
          )
          .join('. '),
        bars: impact.sustained.scopes.map((c) => ({
          label: c.label,
          value: c.share ?? 0,
          display: c.checked ? pct(c.share) : 'None checked',
        })),
        max: 100,
      }),
      recontacts: barChart({
        id: 'chart-recontacts',
        title: 'Time from closure to the first re-contact with the front door',
        description: impact.recontacts.buckets.map((b) => `${b.label}: ${b.count}`).join('. '),
        bars: impact.recontacts.buckets.map((b) => ({ label: b.label, value: b.count })),
      }),
      firstMeeting: barChart({
        id: 'chart-first-meeting',
        title: 'Time from the decision to the first team-around-the-family meeting',
        description: impact.firstMeeting.buckets.map((b) => `${b.label}: ${b.count}`).join('. '),
        bars: impact.firstMeeting.buckets.map((b) => ({ label: b.label, value: b.count })),
      }),
    };
    const windows = impact.recontacts.windowMonths.length
      ? impact.recontacts.windowMonths
      : [
          (ctx.user.localAuthorityId
            ? await earlyHelpSettings(ctx.db, ctx.user.localAuthorityId)
            : DEFAULT_SETTINGS
          ).recontactWindowMonths,
        ];
    return {
      today,
      windowText: `${windows.join(' or ')} month${windows.length === 1 && windows[0] === 1 ? '' : 's'}`,
      settingsHref: EH_PATHS.settings,
      period: p,
      periodText: `${formatDateGovUk(p.from)} to ${formatDateGovUk(p.to)}`,
      impact,
      charts,
      feedback,
      pct,
      signed,
      drill,
      drillKeys: { buckets: FIRST_MEETING_BUCKETS.map((b) => b.key) },
      clusters: [
        { value: '', text: 'All clusters' },
        ...clusters.map((c) => ({ value: c.id, text: c.name })),
      ],
      families: impact.families.slice(0, 10).map((f) => ({ ...f, href: ehPath(EH_PATHS.episode, f.id) })),
      allFamiliesHref: drill('closed'),
    };
  },
});

export const METRIC_TITLES: Record<DrillDownMetric, string> = {
  closed: 'Episodes closed in the period',
  domain: 'Episodes with scores in this domain',
  cluster: 'Episodes closed in this cluster',
  agency: 'Episodes closed, led by this agency',
  need: 'Episodes with goals towards this outcome',
  recontact: 'Episodes with a contact to the front door within the re-contact window after closure',
  sustained: 'Episodes by whether outcomes were sustained at the follow-up',
  'step-up': 'Episodes stepped up to children’s social care',
  'first-meeting': 'Episodes opened in the period, by time to the first meeting',
  'risk-analysis': 'Episodes by whether the assessment’s risk analysis is complete',
};

const RATING_TEXT: Record<string, string> = {
  yes: 'sustained',
  partly: 'partly sustained',
  no: 'not sustained',
  checked: 'all checked at the follow-up',
  unchecked: 'follow-up not yet recorded',
};

/** The drill-down's key in words (the sustained scope and rating, or the time to the first re-contact). */
function keyText(metric: DrillDownMetric, key: string | undefined): string | null {
  if (metric === 'sustained') {
    const [scope = 'overall', rating = 'checked'] = (key ?? '').split('.');
    const label = SUSTAINED_SCOPES.find((s) => s.key === scope)?.label;
    return label && RATING_TEXT[rating] ? `${label}: ${RATING_TEXT[rating]}` : null;
  }
  if (metric === 'recontact') return RECONTACT_BUCKETS.find((b) => b.key === key)?.label ?? null;
  return null;
}

export const impactEpisodesPage = definePage({
  path: EH_PATHS.impactEpisodes,
  view: 'early-help/views/impact-episodes.njk',
  access: 'early-help:oversee',
  title: 'Early help episodes behind the numbers',
  query: z.object({
    ...periodQuery,
    metric: z.enum(DRILL_DOWN_METRICS).catch('closed').default('closed'),
    key: z.string().max(60).optional().catch(undefined),
    page: pageNumber,
  }),
  audit: {
    action: 'early-help-impact.drilled-down',
    subjectType: 'report',
    subject: (ctx) => ({
      details: { metric: ctx.query.metric, key: ctx.query.key ?? null, page: ctx.query.page },
    }),
  },
  load: async (ctx) => {
    const today = isoDateOf(ctx.now);
    const p = period(ctx.query, today);
    const input = await loadImpactInput(ctx, p);
    const ids = drillDown(input, ctx.query.metric, ctx.query.key);
    const { rows, total } = await drillDownEpisodes(ctx, ids, {
      limit: PAGE_SIZE,
      offset: (ctx.query.page - 1) * PAGE_SIZE,
    });
    return {
      title: METRIC_TITLES[ctx.query.metric],
      keyText: keyText(ctx.query.metric, ctx.query.key),
      periodText: `${formatDateGovUk(p.from)} to ${formatDateGovUk(p.to)}`,
      rows: rows.map((r) => ({
        ...r,
        href: ehPath(EH_PATHS.episode, r.id),
        workerChange: r.worker ? signed(r.worker.change) : '–',
        familyChange: r.family ? signed(r.family.change) : '–',
      })),
      total,
      pagination: pagination(ctx.request.url, ctx.query.page, PAGE_SIZE, total),
      backHref: pathTo(EH_PATHS.impact, {}, { from: p.from, to: p.to, cluster: p.clusterId }),
    };
  },
});

export const settingsPage = definePage({
  path: EH_PATHS.settings,
  view: 'early-help/views/settings.njk',
  access: 'early-help:oversee',
  title: 'Early help settings',
  form: z.object({
    reviewIntervalWeeks: integer({
      label: 'Weeks between reviews',
      min: 4,
      max: 12,
      required: 'Enter the number of weeks between reviews',
    }),
    assessmentWorkingDays: integer({
      label: 'Working days to complete the assessment',
      min: 5,
      max: 90,
      required: 'Enter the working days to complete the assessment',
    }),
    followUpMonths: integer({
      label: 'Months after closure to check outcomes',
      min: 3,
      max: 24,
      required: 'Enter how many months after closure outcomes are checked',
    }),
    recontactWindowMonths: integer({
      label: 'Months after closure that a contact counts as a re-contact',
      min: 1,
      max: 24,
      required: 'Enter how many months after closure a contact counts as a re-contact',
    }),
    version: z.preprocess(
      (v) => (v === '' || v === undefined ? undefined : Number(v)),
      z.number().int().optional(),
    ),
  }),
  audit: {
    action: 'early-help-settings.viewed',
    subjectType: 'local-authority',
    subject: (ctx) => ({ subjectId: ctx.user.localAuthorityId }),
  },
  load: async (ctx) => {
    const la = ctx.user.localAuthorityId;
    const settings = la ? await earlyHelpSettings(ctx.db, la) : null;
    const name = la ? await localAuthorityName(ctx, la) : null;
    return { settings, laName: name ?? null };
  },
  submit: async (ctx, form) => {
    if (!ctx.user.localAuthorityId)
      return {
        errors: [
          {
            field: 'reviewIntervalWeeks',
            message: 'Only staff of a local authority can change its settings',
            href: '#reviewIntervalWeeks',
          },
        ],
      };
    await saveEarlyHelpSettings(ctx, {
      localAuthorityId: ctx.user.localAuthorityId,
      reviewIntervalWeeks: form.reviewIntervalWeeks!,
      assessmentWorkingDays: form.assessmentWorkingDays!,
      followUpMonths: form.followUpMonths!,
      recontactWindowMonths: form.recontactWindowMonths!,
      version: form.version,
    });
    ctx.flash(
      'The early help settings have been saved. New review and assessment dates use them from now on.',
    );
    return EH_PATHS.settings;
  },
});

export const impactPages = [impactPage, impactEpisodesPage, settingsPage];
