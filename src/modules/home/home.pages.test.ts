import { MEASURE_IDS } from '../performance/index.ts';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../kernel/access/index.ts';
import { appForFile } from '../../../test/support/test-app.ts';

const t = appForFile();

describe('home page per role', () => {
  it('starts every role on its own work, and every way in it offers opens for that role', async () => {
    for (const role of ROLES) {
      const agent = await t.as(role);
      const home = await agent.get('/');
      expect(home.statusCode, role).toBe(200);
      const primary = home
        .$('.app-start-actions a.govuk-button')
        .map((_, a) => home.$(a).attr('href'))
        .get();
      expect(primary.length, role).toBeGreaterThan(0);
      const more = home
        .$('.govuk-grid-column-one-third .govuk-list a')
        .map((_, a) => home.$(a).attr('href'))
        .get();
      for (const href of [...primary, ...more]) {
        const res = await agent.get(href);
        expect(res.statusCode, `${role} → ${href}`).toBe(200);
      }
    }
  });

  it('gives the contact officer "Record a contact" first, and a partner "Refer a child"', async () => {
    const officer = await (await t.as('contact-officer')).get('/');
    expect(officer.$('.app-start-actions a').first().text().trim()).toBe('Record a contact');
    const partner = await (await t.as('partner-agency-user')).get('/');
    expect(partner.$('.app-start-actions a').first().text().trim()).toBe('Refer a child');
    // A partner is never shown a way into the council's own records.
    expect(partner.$('a[href="/people"]').length).toBe(0);
  });

  it('an empty worktray says where to start instead of a dead end', async () => {
    const analyst = await (await t.as('performance-analyst')).get('/');
    expect(analyst.$('main').text()).toContain('Nothing is due for you. To start, performance.');
    // The analyst starts on the measures, each linking to its page (the performance module).
    expect(analyst.$('[data-testid="home-measures"] tbody tr').length).toBe(MEASURE_IDS.length);
    expect(analyst.$('[data-testid="home-measures"] a').first().attr('href')).toBe(
      '/performance/measures/referrals',
    );
  });
});
