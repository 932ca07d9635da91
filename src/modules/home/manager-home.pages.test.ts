import { beforeAll, describe, expect, it } from 'vitest';
import { teamId } from '../../../test/builders/organisation.ts';
import { aCinEpisode } from '../../../test/builders/social-care.ts';
import { aStaffMember } from '../../../test/builders/workforce.ts';
import { axeCapturedPages, type CapturedPage } from '../../../test/support/axe-pages.ts';
import { appForFile, type TestResponse } from '../../../test/support/test-app.ts';

/**
 * Managers' home pages (issue 19, item 6): the team manager's worktray names the worker holding each child, and
 * their home starts them on the team's allocation board and the case supervisions due; the service manager and the
 * principal social worker see their teams' workforce figures and what needs their attention, each opening the
 * workers behind it. A social worker's home is unchanged.
 */

const t = appForFile();
const forAxe = new Map<string, CapturedPage>();
const capture = (kind: string, who: string, res: TestResponse) =>
  forAxe.set(kind, { who, url: '/', body: res.body, headers: res.headers });

beforeAll(async () => {
  // A child held by the demo social worker (the CIN episode's clocks are on the team manager's worktray), and a
  // worker in the Assessment Team whose registration lapsed.
  await aCinEpisode(t.db, { child: { givenName: 'Nia', familyName: 'Named' } });
  await aStaffMember(t.db, await teamId(t.db, 'Assessment Team'), 'Lapsed Lee', {
    profile: { sweRenewalOn: '2026-11-01' },
  });
});

describe("managers' home pages", () => {
  it('names the worker on the team manager’s worktray, with the allocation board and supervisions due', async () => {
    const home = await (await t.as('team-manager')).get('/');
    expect(home.statusCode).toBe(200);
    const row = home.$('tbody tr').filter((_, tr) => home.$(tr).text().includes('Nia Named'));
    expect(row.length).toBeGreaterThan(0);
    expect(row.first().find('[data-testid="worker"]').text()).toBe('Worker: Sian Walker');
    const board = home
      .$('[data-testid="manager-teams"] a')
      .filter((_, a) => home.$(a).text().includes('Assessment Team'));
    expect(board.attr('href')).toBe(`/workforce/teams/${await teamId(t.db, 'Assessment Team')}/allocation`);
    expect(home.$('[data-testid="manager-teams"]').text()).toMatch(/\d+ to allocate/);
    expect(home.$('[data-testid="supervisions-due"]').text()).toContain('Sian Walker');
    // A team manager does not oversee the workforce figures.
    expect(home.$('[data-testid="workforce-figures"]').length).toBe(0);
    capture('team manager', 'team-manager', home);
  });

  it('shows the service manager their teams’ figures and what needs attention, each opening the workers', async () => {
    const agent = await t.as('service-manager');
    const home = await agent.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.$('[data-testid="workforce-figures"]').text()).toContain('Workers in post');
    const lapsed = home
      .$('[data-testid="attention"] a')
      .filter((_, a) => home.$(a).parent().text().includes('registration lapsed'));
    expect(lapsed.text()).toBe('1 worker');
    const list = await agent.get(lapsed.attr('href')!);
    expect(list.statusCode).toBe(200);
    expect(list.$('[data-testid="workers"]').text()).toContain('Lapsed Lee');
    expect(
      home
        .$('.app-start-actions a')
        .map((_, a) => home.$(a).attr('href'))
        .get(),
    ).toContain('/workforce');
    capture('service manager', 'service-manager', home);
  });

  it('shows the principal social worker the figures of every team, and a social worker no manager panels', async () => {
    const psw = await (await t.as('principal-social-worker')).get('/');
    expect(psw.$('[data-testid="workforce-figures"]').length).toBe(1);
    expect(psw.$('[data-testid="manager-teams"]').length).toBe(0);
    capture('principal social worker', 'principal-social-worker', psw);
    const sw = await (await t.as('social-worker')).get('/');
    expect(sw.$('[data-testid="worker"]').length).toBe(0);
    expect(sw.$('[data-testid="workforce-figures"]').length).toBe(0);
  });

  it('has no accessibility problems', async () => {
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });

  it('starts the manager of a team in no service on its board too, listing both kinds of work', async () => {
    // A team need not belong to a service (generated authorities' teams do not): its board lists social care and
    // early help work, and the manager's home counts it rather than answering 404.
    const assessmentTeam = await teamId(t.db, 'Assessment Team');
    await t.db.updateTable('teams').set({ serviceId: null }).where('id', '=', assessmentTeam).execute();
    const agent = await t.as('team-manager');
    const home = await agent.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.$('[data-testid="manager-teams"]').text()).toMatch(/Assessment Team[\s\S]*\d+ to allocate/);
    const board = await agent.get(`/workforce/teams/${assessmentTeam}/allocation`);
    expect(board.statusCode).toBe(200);
    expect(
      board
        .$('h2')
        .map((_, h) => board.$(h).text())
        .get(),
    ).toEqual(expect.arrayContaining(['Social care work to allocate', 'Early help work to allocate']));
  });
});
