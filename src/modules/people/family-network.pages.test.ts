import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { aChild, anAdult, anAllocation, aRelationship } from '../../../test/builders/people.ts';
import { aCinEpisode } from '../../../test/builders/social-care.ts';

const t = appForFile();
const { forAxe, capture } = axeCapture();

const summaryLinks = (res: { $: import('cheerio').CheerioAPI }) =>
  res
    .$('.govuk-error-summary a')
    .map((_, a) => res.$(a).attr('href'))
    .get();
const date = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return {
    [`${prefix}-day`]: String(Number(d)),
    [`${prefix}-month`]: String(Number(m)),
    [`${prefix}-year`]: y!,
  };
};
const auditActions = async (childId: string) =>
  (await t.db.selectFrom('auditEvents').select('action').where('childId', '=', childId).execute()).map(
    (a) => a.action,
  );

describe('the family network pages', () => {
  it('marks a relative and someone new as in the network, changes and ends a membership', async () => {
    const child = await aChild(t.db, { givenName: 'Lily', familyName: 'Harper' });
    await anAllocation(t.db, child, { role: 'social-worker' });
    const gran = await anAdult(t.db, { givenName: 'Rose', familyName: 'Harper', dateOfBirth: '1952-06-01' });
    await aRelationship(t.db, child, gran, 'grandparent');
    const sw = await t.as('social-worker');

    const family = await sw.get(`/people/${child.id}/family`);
    expect(family.$('[data-testid="family-network-panel"]').text()).toContain('No one is marked');
    const form = await sw.get(`/people/${child.id}/family-network/new`);
    expect(form.statusCode).toBe(200);
    expect(
      form
        .$('input[name="personId"]')
        .map((_, i) => form.$(i).attr('value'))
        .get(),
    ).toEqual([gran.id, 'new']);
    capture('add', 'social-worker', `/people/${child.id}/family-network/new`, form);

    const bad = await sw.post(`/people/${child.id}/family-network/new`, {
      personId: 'new',
      givenName: 'Ben',
      email: 'not an email',
      ...date('fromDate', '2026-11-01'),
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#roleCode', '#email', '#familyName']);
    expect(bad.$('#givenName').val()).toBe('Ben');
    capture('add-errors', 'social-worker', `/people/${child.id}/family-network/new`, bad);

    const added = await sw.post(`/people/${child.id}/family-network/new`, {
      personId: gran.id,
      roleCode: 'grandparent',
      roleDescription: 'maternal',
      phone: '07700 900456',
      preferredContact: 'phone',
      supportOffers: ['respite', 'care'],
      ...date('fromDate', '2026-11-01'),
    });
    expect(added.statusCode).toBe(303);
    const neighbour = await sw.post(`/people/${child.id}/family-network/new`, {
      personId: 'new',
      givenName: 'Ben',
      familyName: 'Cole',
      roleCode: 'neighbour',
      ...date('fromDate', '2026-11-10'),
    });
    expect(neighbour.statusCode).toBe(303);

    const page = await sw.get(`/people/${child.id}/family-network`);
    expect(page.statusCode).toBe(200);
    const rows = page
      .$('[data-testid="network-members"] tbody tr')
      .map((_, tr) => page.$(tr).find('td').first().text().trim())
      .get();
    expect(rows).toEqual(['Rose Harper', 'Ben Cole']);
    capture('network', 'social-worker', `/people/${child.id}/family-network`, page);
    const record = await sw.get(`/people/${child.id}`);
    expect(record.$('[data-testid="family-network-size"]').text()).toContain('2 people');

    const memberId = (
      await t.db
        .selectFrom('familyNetworkMembers')
        .select('id')
        .where('childId', '=', child.id)
        .where('givenName', '=', 'Ben')
        .executeTakeFirstOrThrow()
    ).id;
    const edit = await sw.get(`/people/${child.id}/family-network/${memberId}/edit`);
    expect(edit.$('input[name="roleCode"][checked]').val()).toBe('neighbour');
    capture('edit', 'social-worker', `/people/${child.id}/family-network/${memberId}/edit`, edit);
    const changed = await sw.post(`/people/${child.id}/family-network/${memberId}/edit`, {
      roleCode: 'family-friend',
      supportOffers: 'transport',
      version: '1',
    });
    expect(changed.statusCode).toBe(303);
    const stale = await sw.post(`/people/${child.id}/family-network/${memberId}/edit`, {
      roleCode: 'neighbour',
      version: '1',
    });
    expect(stale.statusCode).toBe(409);

    const end = await sw.get(`/people/${child.id}/family-network/${memberId}/end`);
    capture('end', 'social-worker', `/people/${child.id}/family-network/${memberId}/end`, end);
    const noReason = await sw.post(`/people/${child.id}/family-network/${memberId}/end`, {
      ...date('endDate', '2026-11-20'),
      version: '2',
    });
    expect(summaryLinks(noReason)).toEqual(['#reason']);
    const ended = await sw.post(`/people/${child.id}/family-network/${memberId}/end`, {
      ...date('endDate', '2026-11-20'),
      reason: 'Moved away',
      version: '2',
    });
    expect(ended.statusCode).toBe(303);
    const after = await sw.get(`/people/${child.id}/family-network`);
    expect(after.$('[data-testid="network-members"]').text()).toContain('Moved away');
    expect(await auditActions(child.id)).toEqual(
      expect.arrayContaining([
        'family-network.viewed',
        'family-network-member.added',
        'family-network-member.changed',
        'family-network-member.ended',
      ]),
    );
  });

  it('records a network meeting in the child’s social care episode, with who came and what they will do', async () => {
    const { child, episodeId } = await aCinEpisode(t.db, { referralDate: '2026-11-02' });
    await anAllocation(t.db, child, { role: 'social-worker' });
    const member = await t.db
      .insertInto('familyNetworkMembers')
      .values({
        childId: child.id,
        givenName: 'Ada',
        familyName: 'Quinn',
        roleCode: 'aunt-uncle',
        fromDate: '2026-11-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sw = await t.as('social-worker');
    const url = `/people/${child.id}/family-network/meetings/new`;
    const form = await sw.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.$('input[name="episode"]').first().val()).toBe(`social-care:${episodeId}`);
    capture('meeting-new', 'social-worker', url, form);

    const bad = await sw.post(url, {
      facilitator: 'Jo Bell',
      episode: `social-care:${episodeId}`,
      attendedMemberIds: member.id,
      action1What: 'Collect from school',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#heldOn-day', '#familyPlan']);
    // Once the rest is right, an action half filled in is pointed out field by field.
    const halfAction = await sw.post(url, {
      ...date('heldOn', '2026-11-20'),
      facilitator: 'Jo Bell',
      episode: `social-care:${episodeId}`,
      familyPlan: 'A plan',
      action1What: 'Collect from school',
    });
    expect(summaryLinks(halfAction)).toEqual(['#action1Member', '#action1By']);
    expect(halfAction.$('#action1What').val()).toBe('Collect from school');
    expect(bad.$('#facilitator').val()).toBe('Jo Bell');
    expect(bad.$(`input[name="attendedMemberIds"][value="${member.id}"]`).attr('checked')).toBeDefined();
    capture('meeting-errors', 'social-worker', url, bad);

    const ok = await sw.post(url, {
      ...date('heldOn', '2026-11-20'),
      facilitator: 'Jo Bell',
      episode: `social-care:${episodeId}`,
      invitedMemberIds: member.id,
      attendedMemberIds: member.id,
      professionalsInvited: 'Sam Ade, school nurse',
      familyPlan: 'Ada collects Lily from school on Tuesdays.',
      action1Member: member.id,
      action1What: 'Collect from school',
      ...date('action1By', '2026-11-25'),
    });
    expect(ok.statusCode).toBe(303);
    const view = await sw.get(ok.headers.location as string);
    expect(view.statusCode).toBe(200);
    expect(view.$('[data-testid="meeting-summary"]').text()).toContain('Social care');
    expect(view.$('[data-testid="family-plan"]').text()).toContain('Ada collects Lily');
    expect(view.$('[data-testid="meeting-actions"]').text()).toContain('Collect from school');
    capture('meeting', 'social-worker', ok.headers.location as string, view);
    // The action past its date is marked done from the meeting.
    const doneHref = view.$('[data-testid="meeting-actions"] a').attr('href') as string;
    const done = await sw.get(doneHref);
    expect(done.statusCode).toBe(200);
    capture('action-done', 'social-worker', doneHref, done);
    expect((await sw.post(doneHref, date('completedOn', '2026-11-24'))).statusCode).toBe(303);
    const again = await sw.get(ok.headers.location as string);
    expect(again.$('[data-testid="meeting-actions"]').text()).toContain('Done 24 November 2026');
    // Corrected after saving: the date, who came and the plan, from the meeting's page, version checked.
    const editHref = again.$('[data-testid="correct-meeting"]').attr('href') as string;
    expect(editHref).toBe(`${ok.headers.location as string}/edit`);
    const edit = await sw.get(editHref);
    expect(edit.statusCode).toBe(200);
    expect(edit.$('#facilitator').val()).toBe('Jo Bell');
    capture('meeting-edit', 'social-worker', editHref, edit);
    const correction = {
      ...date('heldOn', '2026-11-19'),
      facilitator: 'Jo Bell',
      familyPlan: 'Ada collects Lily from school on Tuesdays and Thursdays.',
      version: String(edit.$('input[name="version"]').val()),
    };
    const late = await sw.post(editHref, { ...correction, ...date('heldOn', '2026-11-26') });
    expect(late.statusCode).toBe(400);
    expect(summaryLinks(late)).toEqual(['#heldOn-day']);
    expect(late.$('#familyPlan').val()).toContain('Tuesdays and Thursdays');
    expect((await sw.post(editHref, correction)).statusCode).toBe(303);
    const stale = await sw.post(editHref, { ...correction, facilitator: 'Someone else' });
    expect(stale.statusCode).toBe(409);
    const corrected = await sw.get(ok.headers.location as string);
    expect(corrected.$('[data-testid="family-plan"]').text()).toContain('Tuesdays and Thursdays');
    expect(corrected.$('[data-testid="meeting-summary"]').text()).toContain('invited, did not come');
    const changedEvent = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'family-network-meeting.changed')
      .where('childId', '=', child.id)
      .executeTakeFirstOrThrow();
    expect(changedEvent.details).toMatchObject({
      before: { heldOn: '2026-11-20', attended: 'Ada Quinn' },
      after: { heldOn: '2026-11-19', attended: '' },
    });
    expect(await auditActions(child.id)).toEqual(
      expect.arrayContaining([
        'family-network-meeting.recorded',
        'family-network-action.completed',
        'family-network-meeting.changed',
        'family-network.viewed',
      ]),
    );
  });

  it('a manager agrees and ends support; a social worker may not; a restricted record stays restricted', async () => {
    const child = await aChild(t.db, { givenName: 'Finn', familyName: 'Ward' });
    await anAllocation(t.db, child, { role: 'social-worker' });
    const tm = await t.as('team-manager');
    const url = `/people/${child.id}/family-network/support/new`;
    const form = await tm.get(url);
    expect(form.statusCode).toBe(200);
    capture('support-new', 'team-manager', url, form);
    const bad = await tm.post(url, {
      kind: 'financial',
      description: 'Travel',
      amount: 'lots',
      frequency: 'weekly',
    });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad)).toEqual(['#amount', '#startDate-day']);
    expect(bad.$('#amount').val()).toBe('lots');
    capture('support-errors', 'team-manager', url, bad);
    const ok = await tm.post(url, {
      kind: 'financial',
      description: 'Travel to visit Finn',
      amount: '30',
      frequency: 'weekly',
      ...date('startDate', '2026-11-23'),
    });
    expect(ok.statusCode).toBe(303);
    const network = await tm.get(`/people/${child.id}/family-network`);
    expect(network.$('[data-testid="network-support"]').text()).toContain('£30 weekly');
    const packageId = (
      await t.db
        .selectFrom('familyNetworkSupportPackages')
        .select('id')
        .where('childId', '=', child.id)
        .executeTakeFirstOrThrow()
    ).id;
    // Changed by a manager, version checked: the amount and the end date, audited before and after.
    const editUrl = `/people/${child.id}/family-network/support/${packageId}/edit`;
    expect(network.$(`a[href="${editUrl}"]`).length).toBe(1);
    const edit = await tm.get(editUrl);
    expect(edit.statusCode).toBe(200);
    expect(edit.$('#amount').val()).toBe('30');
    capture('support-edit', 'team-manager', editUrl, edit);
    const change = {
      kind: 'financial',
      description: 'Travel to visit Finn',
      amount: '35.50',
      frequency: 'weekly',
      ...date('startDate', '2026-11-23'),
      version: '1',
    };
    const backwards = await tm.post(editUrl, { ...change, ...date('endDate', '2026-11-01') });
    expect(backwards.statusCode).toBe(400);
    expect(summaryLinks(backwards)).toEqual(['#endDate']);
    expect((await tm.post(editUrl, change)).statusCode).toBe(303);
    expect((await tm.post(editUrl, { ...change, amount: '40' })).statusCode).toBe(409);
    expect(
      (await tm.get(`/people/${child.id}/family-network`)).$('[data-testid="network-support"]').text(),
    ).toContain('£35.50 weekly');
    expect(
      (
        await t.db
          .selectFrom('auditEvents')
          .select('details')
          .where('action', '=', 'family-network-support.changed')
          .where('subjectId', '=', packageId)
          .executeTakeFirstOrThrow()
      ).details,
    ).toMatchObject({ before: { amountPence: 3000 }, after: { amountPence: 3550 } });
    expect((await (await t.as('social-worker')).get(editUrl)).statusCode).toBe(403);
    const endUrl = `/people/${child.id}/family-network/support/${packageId}/end`;
    const end = await tm.get(endUrl);
    capture('support-end', 'team-manager', endUrl, end);
    const ended = await tm.post(endUrl, {
      ...date('endedOn', '2026-11-24'),
      reason: 'No longer needed',
      version: '2',
    });
    expect(ended.statusCode).toBe(303);

    const sw = await t.as('social-worker');
    expect((await sw.get(url)).statusCode).toBe(403);
    const hidden = await aChild(t.db, { restricted: true, nhsNumber: null });
    expect((await sw.get(`/people/${hidden.id}/family-network`)).statusCode).toBe(404);
    expect((await sw.get(`/people/${hidden.id}/family-network/new`)).statusCode).toBe(404);
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 180_000 }, async () => {
    expect(forAxe.size).toBe(14);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
