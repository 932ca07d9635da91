import { z } from 'zod';
import { listDrafts } from '../../kernel/drafts/index.ts';
import { ROLE_LABELS } from '../../kernel/access/index.ts';
import { definePage } from '../../web/page.ts';
import { pageHref } from '../../web/pagination.ts';
import { formatDateGovUk, todayIn } from '../../kernel/time/index.ts';
import { worktrayProviders } from '../worktray-providers.ts';
import { loadWarningsFor } from '../people/index.ts';
import { CASELOAD_PATHS, managerHome, WORKFORCE_PATHS, workersOfChildren } from '../workforce/index.ts';
import { pathTo } from '../../web/paths.ts';
import { headlineFigures, measuresThatMoved, PERFORMANCE_PAGE_PATHS } from '../performance/index.ts';
import { buildWorktray } from './worktray.ts';
import { startActions } from './start-actions.ts';

const WORKTRAY_PAGE_SIZE = 50;

/** The home page: what this person can do, and any forms they left half-finished. */
export const homePage = definePage({
  path: '/',
  view: 'home/views/home.njk',
  access: 'signed-in',
  title: 'Home',
  query: z.object({ page: z.coerce.number().int().min(1).max(1000).catch(1).default(1) }),
  // The worktray names children: the view is recorded with the children it showed.
  audit: {
    action: 'worktray.viewed',
    subjectType: 'worktray',
    subject: (_ctx, data: { worktray: { child?: { id: string } | null }[] }) => ({
      details: {
        children: [...new Set(data.worktray.map((i) => i.child?.id).filter((id): id is string => !!id))],
      },
    }),
  },
  load: async (ctx) => {
    const drafts = await listDrafts(ctx.db, ctx.user.id);
    // In pages, soonest due first: every provider is asked for no more than the items up to this page's end.
    const page = ctx.query.page;
    const start = (page - 1) * WORKTRAY_PAGE_SIZE;
    const upToHere = await buildWorktray(worktrayProviders, {
      db: ctx.db,
      user: ctx.user,
      now: ctx.now,
      today: todayIn(ctx.services.clock),
      calendar: ctx.services.calendar,
      limit: start + WORKTRAY_PAGE_SIZE + 1,
    });
    const worktray = upToHere.slice(start, start + WORKTRAY_PAGE_SIZE);
    const hasNext = upToHere.length > start + WORKTRAY_PAGE_SIZE;
    const url = ctx.request.url;
    // Warnings (e.g. risk to staff) shown next to each child's name, so nobody visits unprepared.
    const warnings = await loadWarningsFor(
      ctx.db,
      worktray.map((i) => i.child?.id),
      ctx.now,
    );
    // A manager's worktray names who holds each child; their home also starts them on their teams.
    const manager = await managerHome(ctx);
    const holders =
      manager && manager.teams.length
        ? await workersOfChildren(
            ctx,
            worktray.flatMap((i) => (i.child ? [i.child.id] : [])),
          )
        : null;
    return {
      worktray: worktray.map((i) => ({
        ...i,
        worker: (i.child && holders?.get(i.child.id)?.join(', ')) || null,
        warnings: (i.child && warnings.get(i.child.id)) || [],
      })),
      manager: manager && managerPanel(manager),
      overdue: worktray.filter((i) => i.status === 'overdue').length,
      worktrayFrom: worktray.length ? start + 1 : 0,
      worktrayTo: start + worktray.length,
      worktrayPages: page > 1 || hasNext,
      pagination: {
        ...(page > 1 ? { previous: { href: pageHref(url, page - 1) } } : {}),
        ...(hasNext ? { next: { href: pageHref(url, page + 1) } } : {}),
      },
      roles: ctx.user.roles.map((r) => ROLE_LABELS[r]),
      drafts: drafts.map((d) => ({ href: d.formKey, updatedAt: d.updatedAt })),
      start: startActions(ctx.user),
      // The performance analyst starts on the measures (the collection year to date), each linking to its page.
      measures: ctx.user.roles.includes('performance-analyst')
        ? (await headlineFigures(ctx)).map((m) => ({
            ...m,
            href: PERFORMANCE_PAGE_PATHS.measure.replace(':measureId', m.id),
          }))
        : [],
      // The performance analyst and the service manager: the measures that moved most last month, with RAG.
      moved:
        ctx.user.roles.includes('performance-analyst') || ctx.user.roles.includes('service-manager')
          ? await movedPanel(ctx)
          : null,
    };
  },
});

async function movedPanel(ctx: Parameters<typeof measuresThatMoved>[0]) {
  const { latest, before, moves } = await measuresThatMoved(ctx);
  const period = (p: { from: string; to: string }) => `from=${p.from}&to=${p.to}`;
  return {
    caption: `Last full month (${formatDateGovUk(latest.from)} to ${formatDateGovUk(latest.to)}) against the month before`,
    rows: moves.map((m) => ({
      title: m.figure.measure.title,
      href: `${PERFORMANCE_PAGE_PATHS.measure.replace(':measureId', m.figure.measure.id)}?${period(latest)}`,
      text: m.text,
      rag: m.rag,
    })),
    beforeText: `${formatDateGovUk(before.from)} to ${formatDateGovUk(before.to)}`,
  };
}

const drill = (figure: string, value?: string) => pathTo(WORKFORCE_PATHS.workers, {}, { figure, value });

/** The manager's panels: their teams' boards, supervisions due, and their teams' figures with what needs attention. */
function managerPanel(m: NonNullable<Awaited<ReturnType<typeof managerHome>>>) {
  const f = m.figures;
  const share = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)}%` : '–');
  const supervised = f ? f.supervision['in-time'] + f.supervision.overdue : 0;
  return {
    teams: m.teams.map((t) => ({ ...t, boardHref: CASELOAD_PATHS.board(t.id) })),
    supervisionsDue: m.supervisionsDue.map((s) => ({ ...s, href: `/supervision/new?supervisee=${s.id}` })),
    supervisionsDueTotal: m.supervisionsDueTotal,
    figures: f && {
      workforceHref: WORKFORCE_PATHS.workforce,
      rows: [
        { key: 'Workers in post', value: `${f.inPost} (${f.fteInPost} FTE)` },
        { key: 'Permanent', value: share(f.contracts.permanent, f.inPost) },
        { key: 'Agency or locum', value: share(f.contracts['agency-locum'], f.inPost) },
        { key: 'Vacancies', value: f.vacancies === null ? 'No funded posts recorded' : `${f.vacancies} FTE` },
        { key: 'Case supervision within timescale', value: share(f.supervision['in-time'], supervised) },
      ],
      attention: [
        {
          n: f.registration.lapsed,
          text: 'Social Work England registration lapsed or due today',
          href: drill('registration', 'lapsed'),
        },
        {
          n: f.registration.due,
          text: 'registration renewal due within 30 working days',
          href: drill('registration', 'due'),
        },
        { n: f.asye['review-overdue'], text: 'ASYE review overdue', href: drill('asye', 'review-overdue') },
        { n: f.supervision.overdue, text: 'case supervision overdue', href: drill('supervision', 'overdue') },
        { n: f.bands.above, text: 'caseload above the "too high" level', href: drill('caseload', 'above') },
      ].filter((a) => a.n > 0),
    },
  };
}

export const accessibilityPage = definePage({
  path: '/accessibility',
  view: 'home/views/accessibility.njk',
  access: 'public',
  title: 'Accessibility statement',
});

export const privacyPage = definePage({
  path: '/privacy',
  view: 'home/views/privacy.njk',
  access: 'public',
  title: 'Privacy notice',
});

export const homePages = [homePage, accessibilityPage, privacyPage];
