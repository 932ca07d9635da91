import { describe, expect, it } from 'vitest';
import { appForFile, type TestApp } from '../../../test/support/test-app.ts';
import { aChild } from '../../../test/builders/people.ts';
import { aCinEpisode } from '../../../test/builders/social-care.ts';
import { firstRow, rowsOf, valueOf } from '../../../test/builders/records.ts';

const t = appForFile();

/** The edit form as it comes back, with `changes` applied over what the page shows. */
async function editForm(
  as: Awaited<ReturnType<TestApp['as']>>,
  childId: string,
  changes: Record<string, string | string[]>,
) {
  const form = await as.get(`/people/${childId}/edit`);
  expect(form.statusCode).toBe(200);
  const fields: Record<string, string | string[]> = {};
  form.$('form input, form select, form textarea').each((_, el) => {
    const $el = form.$(el);
    const name = $el.attr('name');
    if (!name || name === '_csrf') return;
    const type = $el.attr('type');
    if (type === 'checkbox' || type === 'radio') {
      if ($el.attr('checked') === undefined) return;
      const value = $el.attr('value') ?? 'on';
      if (type === 'checkbox') fields[name] = [...((fields[name] as string[] | undefined) ?? []), value];
      else fields[name] = value;
      return;
    }
    const value =
      el.tagName === 'select'
        ? ($el.find('option[selected]').attr('value') ?? '')
        : el.tagName === 'textarea'
          ? $el.text()
          : ($el.attr('value') ?? '');
    fields[name] = value;
  });
  return { ...fields, ...changes };
}

describe('census rules on the record of a child the CIN census returns', () => {
  it('refuses a change that would break 4220 or 8540 for a child with an open episode, naming the rule; keeps what was typed', async () => {
    const { child } = await aCinEpisode(t.db, { child: { givenName: 'Orla', familyName: 'Census' } });
    const sw = await t.as('social-worker');

    const noEthnicity = await sw.post(
      `/people/${child.id}/edit`,
      await editForm(sw, child.id, { ethnicityCode: '', familyName: 'Census-Typed' }),
    );
    expect(noEthnicity.statusCode).toBe(400);
    expect(noEthnicity.$('.govuk-error-summary a').first().attr('href')).toBe('#ethnicityCode');
    expect(noEthnicity.$('.govuk-error-summary').text()).toContain('rule 4220');
    expect(noEthnicity.$('#familyName').attr('value')).toBe('Census-Typed');

    const noDisability = await sw.post(
      `/people/${child.id}/edit`,
      await editForm(sw, child.id, { disabilities: [] }),
    );
    expect(noDisability.statusCode).toBe(400);
    expect(noDisability.$('.govuk-error-summary').text()).toContain('rule 8540');

    const saved = await firstRow(t.db, 'people', { id: child.id }, ['familyName', 'ethnicityCode']);
    expect(saved).toEqual({ familyName: 'Census', ethnicityCode: 'WBRI' });
    const disabilities = await rowsOf(t.db, 'personDisabilities', { personId: child.id }, ['code']);
    expect(disabilities.map((d) => d.code)).toEqual(['NONE']);
  });

  it('refuses UN7 (referral with no further action) as the reason the UPN is not known while an episode went on to further action (rule 8772)', async () => {
    const { child } = await aCinEpisode(t.db, { child: { givenName: 'Rae', familyName: 'Census' } });
    const sw = await t.as('social-worker');
    const un7 = await sw.post(
      `/people/${child.id}/edit`,
      await editForm(sw, child.id, { upn: '', upnUnknownReason: 'UN7' }),
    );
    expect(un7.statusCode).toBe(400);
    expect(un7.$('.govuk-error-summary a').first().attr('href')).toBe('#upnUnknownReason');
    expect(un7.$('#upnUnknownReason-error').text()).toContain('rule 8772');
    expect(un7.$('#upnUnknownReason option[selected]').attr('value')).toBe('UN7');
    // Nothing saved: the reason given when the referral opened (UN4, newly referred) stands.
    expect(await valueOf(t.db, 'people', { id: child.id }, 'upnUnknownReason')).toBe('UN4');
    expect(
      (
        await sw.post(
          `/people/${child.id}/edit`,
          await editForm(sw, child.id, { upn: '', upnUnknownReason: 'UN5' }),
        )
      ).statusCode,
    ).toBe(303);
    expect(await valueOf(t.db, 'people', { id: child.id }, 'upnUnknownReason')).toBe('UN5');
  });

  it('accepts a change that keeps the census details (ethnicity now known)', async () => {
    const { child } = await aCinEpisode(t.db, { child: { givenName: 'Pia', familyName: 'Census' } });
    const sw = await t.as('social-worker');
    const res = await sw.post(
      `/people/${child.id}/edit`,
      await editForm(sw, child.id, { ethnicityCode: 'WIRI' }),
    );
    expect(res.statusCode).toBe(303);
    const saved = await firstRow(t.db, 'people', { id: child.id }, ['ethnicityCode']);
    expect(saved.ethnicityCode).toBe('WIRI');
  });

  it('leaves a child with no CIN episode alone', async () => {
    const child = await aChild(t.db, { givenName: 'Quinn', familyName: 'Unknown' });
    await t.db.updateTable('people').set({ ethnicityCode: 'WBRI' }).where('id', '=', child.id).execute();
    const sw = await t.as('social-worker');
    const res = await sw.post(
      `/people/${child.id}/edit`,
      await editForm(sw, child.id, { ethnicityCode: '' }),
    );
    expect(res.statusCode).toBe(303);
    const saved = await firstRow(t.db, 'people', { id: child.id }, ['ethnicityCode']);
    expect(saved.ethnicityCode).toBeNull();
  });
});
