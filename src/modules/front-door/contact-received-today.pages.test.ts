import { describe, expect, it } from 'vitest';
import { appForFile } from '../../../test/support/test-app.ts';
import { axeCapture, axeCapturedPages } from '../../../test/support/axe-pages.ts';
import { agencyIdsByKind } from '../../../test/builders/organisation.ts';
import { firstRow } from '../../../test/builders/records.ts';
import { isoDateOf } from '../../kernel/time/index.ts';

/**
 * Issue 18 (dates default to today where it is the usual answer): a new contact's date received opens as today;
 * today with no time means it came in just now, and another day or a time is kept as typed.
 */

const t = appForFile();
const { forAxe, capture } = axeCapture();

const contact = (familyName: string, police: string) => ({
  channel: 'phone',
  referralSource: '6',
  referrerName: 'PC Ada Lane',
  referrerAgencyId: police,
  concernCategories: ['domestic-abuse'],
  reason: 'Police were called to the home overnight; the child was present.',
  consent: 'dispensed',
  consentRationale: 'A police notification: telling the father could raise the risk.',
  urgency: 'urgent',
  child1GivenName: 'Nell',
  child1FamilyName: familyName,
});

describe('the date a contact was received', () => {
  it('opens as today; today without a time is now; another day at a time is kept', async () => {
    const officer = await t.as('contact-officer');
    const form = await officer.get('/front-door/contacts/new');
    expect(form.statusCode).toBe(200);
    capture('new-contact', 'contact-officer', '/front-door/contacts/new', form);
    const [year, month, day] = isoDateOf(t.clock.now()).split('-').map(Number) as [number, number, number];
    expect(form.$('#receivedOn-day').val()).toBe(String(day));
    expect(form.$('#receivedOn-month').val()).toBe(String(month));
    expect(form.$('#receivedOn-year').val()).toBe(String(year));
    expect(form.$('#receivedTime').val() ?? '').toBe('');

    const police = (await agencyIdsByKind(t.db)).police!;
    const today = await officer.post('/front-door/contacts/new', {
      ...contact('Todaytest', police),
      'receivedOn-day': String(day),
      'receivedOn-month': String(month),
      'receivedOn-year': String(year),
    });
    expect(today.statusCode).toBe(303);
    const child = await firstRow(t.db, 'contactChildren', { familyName: 'Todaytest' }, ['contactId']);
    const saved = await firstRow(t.db, 'contacts', { id: child.contactId }, ['receivedAt']);
    expect(saved.receivedAt.getTime()).toBe(t.clock.now().getTime());

    const yesterday = new Date(t.clock.now().getTime() - 86_400_000);
    const [y, m, d] = isoDateOf(yesterday).split('-');
    const earlier = await officer.post('/front-door/contacts/new', {
      ...contact('Earliertest', police),
      'receivedOn-day': d!,
      'receivedOn-month': m!,
      'receivedOn-year': y!,
      receivedTime: '14:30',
    });
    expect(earlier.statusCode).toBe(303);
    const other = await firstRow(t.db, 'contactChildren', { familyName: 'Earliertest' }, ['contactId']);
    const kept = await firstRow(t.db, 'contacts', { id: other.contactId }, ['receivedAt']);
    expect(isoDateOf(kept.receivedAt)).toBe(isoDateOf(yesterday));
    expect(
      kept.receivedAt.toLocaleTimeString('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        minute: '2-digit',
      }),
    ).toBe('14:30');
  });

  it('has no accessibility problems (axe in Chromium)', { timeout: 120_000 }, async () => {
    expect(forAxe.size).toBe(1);
    expect(await axeCapturedPages(t.app, forAxe)).toEqual([]);
  });
});
