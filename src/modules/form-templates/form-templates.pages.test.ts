import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../kernel/access/index.ts';
import { appForFile } from '../../../test/support/test-app.ts';
import { sampleTemplate } from '../../../test/fixtures/sample-template.ts';
import { currentTemplate, seedFormTemplate } from './form-templates.service.ts';

const t = appForFile();
beforeAll(async () => {
  await seedFormTemplate(t.db, sampleTemplate);
});

describe('form templates', () => {
  it('lists templates and previews a version with the generic renderer', async () => {
    const admin = await t.as('system-administrator');
    const list = await admin.get('/admin/form-templates');
    expect(list.statusCode).toBe(200);
    expect(list.$('h2').text()).toContain('Sample assessment');
    const preview = await admin.get('/admin/form-templates/sample-assessment/versions/2');
    expect(preview.statusCode).toBe(200);
    // Every kind of question becomes its GOV.UK component.
    expect(preview.$('textarea#child__ownWords').length).toBe(1);
    expect(preview.$('#child__seenOn-day').length).toBe(1);
    expect(preview.$('input[name="child__seenAlone"][value="yes"]').length).toBe(1);
    expect(preview.$('input[name="child__safety"]').length).toBe(11);
    expect(preview.$('input[name="factors__codes"][value="21"]').attr('data-behaviour')).toBe('exclusive');
    expect(preview.$('fieldset.app-repeating-item legend').first().text().trim()).toBe('Worry 1');
    expect(preview.$('label[for="factors__worries__0__who"]').text()).toContain('(optional)');
  });

  it('refuses a definition that is not JSON or not a valid template, keeping what was typed', async () => {
    const admin = await t.as('system-administrator');
    const notJson = await admin.post('/admin/form-templates/sample-assessment/new-version', {
      definitionJson: '{ nope',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.$('#definitionJson-error').text()).toContain('The definition is not valid JSON');
    expect(notJson.$('#definitionJson').text()).toBe('{ nope');
    const invalid = await admin.post('/admin/form-templates/sample-assessment/new-version', {
      definitionJson: JSON.stringify({
        title: 'X',
        sections: [
          { id: 'a', title: 'A', questions: [{ kind: 'scale', id: 's', label: 'S', min: 3, max: 1 }] },
        ],
      }),
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.$('#definitionJson-error').text()).toContain('min must be below max');
    expect((await currentTemplate(t.db, 'sample-assessment')).version).toBe(2);
  });

  it('publishes the next version, which new records then use; the old one stays readable; audited', async () => {
    const admin = await t.as('system-administrator');
    const changed = { ...sampleTemplate, title: 'Sample assessment (revised)' };
    const res = await admin.post('/admin/form-templates/sample-assessment/new-version', {
      definitionJson: JSON.stringify(changed),
      notes: 'Clearer wording',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/form-templates/sample-assessment/versions/3');
    const current = await currentTemplate(t.db, 'sample-assessment');
    expect([current.version, current.template.title]).toEqual([3, 'Sample assessment (revised)']);
    expect((await admin.get('/admin/form-templates/sample-assessment/versions/2')).statusCode).toBe(200);
    const audit = await t.db
      .selectFrom('auditEvents')
      .select('details')
      .where('action', '=', 'form-template.published')
      .execute();
    expect(audit.map((a) => a.details)).toContainEqual({ key: 'sample-assessment', version: 3 });
  });

  it('only those who manage reference data can see or change templates', async () => {
    for (const role of ROLES.filter((r) => r !== 'system-administrator')) {
      expect((await (await t.as(role)).get('/admin/form-templates')).statusCode, role).toBe(403);
    }
  });
});
