import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { afterAll, describe, expect, it } from 'vitest';
import { aCinEpisode, aCpPlan } from '../../../test/builders/social-care.ts';
import { socialCareDb } from '../../../test/builders/social-care-db.ts';
import { anAdult, aRelationship } from '../../../test/builders/people.ts';
import { rowsOf } from '../../../test/builders/records.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { letterFor, produceLetter } from '../documents/letter.service.ts';
import { documentAttachment, DocumentStore } from '../people/index.ts';
import { fgdmOfferLetterSource, preProceedingsLetterSource } from './pre-proceedings-letters.ts';
import {
  recordFgdmReferral,
  recordFgdmResponse,
  recordLegalPlanningMeeting,
  recordLetterBeforeProceedings,
} from './pre-proceedings.service.ts';

/**
 * The Families First letters (issue 22) from the pre-proceedings record: the letter before proceedings, produced as a
 * PDF kept on the child's documents, names the legal planning meeting's date, its reasons as the concerns, the FGDM
 * offer to each parent and the dates of the 16-week timeline; the FGDM offer letter is written to the person offered.
 */

const now = new Date('2026-12-21T10:00:00Z');
const t = socialCareDb(now);
const sources = [preProceedingsLetterSource, fgdmOfferLetterSource];
const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threshold-pp-letters-'));
const store = new DocumentStore(uploadDir);
afterAll(() => fs.rmSync(uploadDir, { recursive: true, force: true }));

const version = async (id: string) =>
  (await t.db.selectFrom('preProceedings').select('version').where('id', '=', id).executeTakeFirstOrThrow())
    .version;

describe('the letter before proceedings and the FGDM offer letter', () => {
  it('fills the letter before proceedings from the record and keeps its PDF on the child', async () => {
    const { episodeId, child } = await aCinEpisode(t.db, {
      referralDate: '2026-11-02',
      child: { givenName: 'Rosie', familyName: 'Letterby' },
    });
    await aCpPlan(t.db, episodeId, { icpcDate: '2026-11-19' });
    const mum = await anAdult(t.db, { givenName: 'Jade', familyName: 'Letterby' });
    const dad = await anAdult(t.db, { givenName: 'Connor', familyName: 'Letterby' });
    await aRelationship(t.db, child, mum, 'parent', { parentalResponsibility: true });
    await aRelationship(t.db, child, dad, 'parent', { parentalResponsibility: true });
    const ppId = await t.act(t.sw, recordLegalPlanningMeeting, {
      episodeId,
      heldOn: '2026-11-23',
      attendees: 'Team manager, social worker, local authority solicitor',
      decision: 'start',
      rationale: 'Rosie is often left alone at night.\n- Rosie has missed 30 days of school.',
    });
    const source = {
      kind: 'letter-before-proceedings' as const,
      sourceType: 'pre-proceedings',
      sourceId: ppId,
    };

    // Before the letter is recorded as sent, it offers a meeting to both parents.
    const draft = await t.act(t.sw, (ctx) => letterFor(ctx, source, sources), undefined);
    expect(draft.templateVersion).toBe(2);
    expect(draft.body).toContain('On 23 November 2026 we met with our lawyers');
    expect(draft.body).toContain('- Rosie is often left alone at night.');
    expect(draft.body).toContain('- Rosie has missed 30 days of school.');
    expect(draft.body).toContain(
      'We are offering a family group decision making meeting (sometimes called a family group conference) to Jade Letterby and Connor Letterby.',
    );
    expect(draft.body).not.toMatch(/\{\{|\{%/);

    await t.act(t.sw, recordLetterBeforeProceedings, {
      preProceedingsId: ppId,
      sentOn: '2026-11-25',
      offerTo: [mum.id, dad.id],
      version: await version(ppId),
    });
    const view = await t.act(t.sw, (ctx) => letterFor(ctx, source, sources), undefined);
    const produced = await t.act(
      t.sw,
      (ctx) =>
        produceLetter(ctx, { ...source, version: 0, subject: view.subject, body: view.body }, store, sources),
      undefined,
    );
    expect(produced.childId).toBe(child.id);
    const file = await documentAttachment(t.db, store, produced.documentId);
    const text = (await new PDFParse({ data: file.content }).getText()).text.replace(/\s+/g, ' ');
    expect(text).toContain('Letter before proceedings about Rosie Letterby');
    expect(text).toContain('On 23 November 2026 we met with our lawyers');
    expect(text).toContain('Rosie has missed 30 days of school.');
    expect(text).toContain('family group decision making meeting');
    expect(text).toContain('to Jade Letterby and Connor Letterby');
    // The initial meeting is due 10 working days after the letter; week 16 is 16 weeks after the start.
    expect(text).toContain('by 9 December 2026');
    expect(text).toContain('By 15 March 2027 we will decide');
    expect(await rowsOf(t.db, 'documents', { id: produced.documentId }, ['personId', 'category'])).toEqual([
      { personId: child.id, category: 'correspondence' },
    ]);

    // One offer letter per person offered, written to them, naming the FGDM service once referred.
    const offers = await rowsOf(t.db, 'fgdmOffers', { preProceedingsId: ppId }, [
      'id',
      'personId',
      'version',
    ]);
    const mumsOffer = offers.find((o) => o.personId === mum.id)!;
    await t.act(t.sw, recordFgdmResponse, {
      offerId: mumsOffer.id,
      response: 'accepted',
      respondedOn: '2026-11-26',
      version: mumsOffer.version,
    });
    await t.act(t.sw, recordFgdmReferral, {
      preProceedingsId: ppId,
      referredOn: '2026-11-27',
      service: 'Richmond Family Group Conference Service',
      version: await version(ppId),
    });
    const offerLetter = await t.act(
      t.sw,
      (ctx) =>
        letterFor(ctx, { kind: 'fgdm-offer', sourceType: 'fgdm-offer', sourceId: mumsOffer.id }, sources),
      undefined,
    );
    expect(offerLetter.childId).toBe(child.id);
    expect(offerLetter.body).toMatch(/^Dear Jade Letterby,/);
    expect(offerLetter.body).toContain(
      'An independent coordinator from Richmond Family Group Conference Service',
    );
    expect(offerLetter.body).toContain('We made this offer on 25 November 2026.');

    // The wrong kind for a source, or an offer that does not exist, is not found.
    const wrong = await t
      .act(
        t.sw,
        (ctx) =>
          letterFor(ctx, { kind: 'fgdm-offer', sourceType: 'pre-proceedings', sourceId: ppId }, sources),
        undefined,
      )
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(NotFoundError);
  });
});
