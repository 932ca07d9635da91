import { z } from 'zod';
import { listDrafts } from '../../kernel/drafts/index.ts';
import { ROLE_LABELS } from '../../kernel/access/index.ts';
import { definePage } from '../../web/page.ts';
import { pageHref } from '../../web/pagination.ts';
import { todayIn } from '../../kernel/time/index.ts';
import { worktrayProviders } from '../worktray-providers.ts';
import { loadWarningsFor } from '../people/index.ts';
import { headlineFigures, PERFORMANCE_PAGE_PATHS } from '../performance/index.ts';
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
    return {
      worktray: worktray.map((i) => ({ ...i, warnings: (i.child && warnings.get(i.child.id)) || [] })),
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
    };
  },
});

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
