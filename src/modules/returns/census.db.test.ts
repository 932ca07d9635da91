import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { aCensusCohort, COHORT_FAMILIES, type CohortChild } from '../../../test/builders/census.ts';
import { localAuthorityId } from '../../../test/builders/people.ts';
import { contextFor, run, userFor } from '../../../test/builders/social-care.ts';
import { seededOrganisation } from '../../../test/support/seeded-organisation.ts';
import { testDb } from '../../../test/support/test-db.ts';
import { englandAndWalesCalendar } from '../../kernel/working-days/index.ts';
import { seedDemoEarlyHelp } from '../early-help/index.ts';
import { seedDemoFrontDoor } from '../front-door/index.ts';
import { seedDemoPeople } from '../people/index.ts';
import { seedDemoSocialCare } from '../social-care/index.ts';
import {
  buildCensusReturn,
  downloadCensusFile,
  listCensusFiles,
  produceCensusFile,
} from './census.service.ts';
import type { CensusYearId } from './census-years.ts';

const SCHEMAS: Record<CensusYearId, string> = {
  '2024-25': 'CIN_schema_2025.xsd',
  '2025-26': 'CIN_schema_2026.xsd',
  '2026-27': 'CIN_schema_2027.xsd',
};
const schemaFor = (year: CensusYearId) => ({
  fileName: SCHEMAS[year],
  contents: fs.readFileSync(
    new URL(`../../../test/fixtures/cin-census/${SCHEMAS[year]}`, import.meta.url),
    'utf8',
  ),
});

let h: Awaited<ReturnType<typeof testDb>>;
let richmond: string;
let cohort: CohortChild[];
const calendar = englandAndWalesCalendar;
/** The size of the built set (CENSUS_COHORT to try a smaller one while working on the builder). */
const N = Number(process.env.CENSUS_COHORT ?? 200);
const ofFamily = (f: string) => cohort.filter((c) => c.family === f).length;

async function build(yearId: CensusYearId, batchSize?: number) {
  let xml = '';
  const result = await buildCensusReturn(h.db, calendar, {
    yearId,
    localAuthorityId: richmond,
    batchSize,
    header: {
      laCode: '318',
      softwareCode: 'Threshold',
      release: '0.1.0',
      serialNo: 1,
      dateTime: new Date('2026-05-01T09:00:00Z'),
    },
    out: (chunk) => {
      xml += chunk;
    },
  });
  return { ...result, xml };
}

beforeAll(async () => {
  h = await testDb();
  richmond = await localAuthorityId(h.db, '318');
  cohort = await aCensusCohort(h.db, N);
}, 600_000);
afterAll(async () => {
  await h?.close();
});

describe('the CIN census return for 2025-26 from a built set of 200 children', () => {
  it('covers every family and validates against CIN_schema_2026.xsd', async () => {
    expect(new Set(cohort.map((c) => c.family))).toEqual(new Set(COHORT_FAMILIES));
    const result = await build('2025-26', 37);
    expect(result.counts.children).toBe(N);
    const check = await validateXML({
      xml: { fileName: 'census.xml', contents: result.xml },
      schema: schemaFor('2025-26'),
    });
    expect(check.errors).toEqual([]);
    expect(check.valid).toBe(true);
    // One Child per child, one CINdetails per episode, ordered as the schema wants.
    expect(result.xml.match(/<Child>/g)).toHaveLength(N);
    expect(result.xml.match(/<CINdetails>/g)).toHaveLength(N);
    expect(result.xml).toContain('<ReferenceDate>2026-03-31</ReferenceDate>');
    expect(result.xml).toContain('<LEA>318</LEA>');
  }, 120_000);

  it('has no errors on Threshold’s own validator, and every query is listed with its rule', async () => {
    const result = await build('2025-26');
    expect(result.failures.filter((f) => f.kind === 'error')).toEqual([]);
    expect(result.errors).toBe(0);
    for (const q of result.failures) {
      expect(q.kind).toBe('query');
      expect(q.rule).toMatch(/^\d+Q$/);
      expect(q.detail.length).toBeGreaterThan(10);
    }
    // Referrals with no further action close as RC8 with no assessment: the DfE queries that (8825Q).
    expect(new Set(result.failures.map((f) => f.rule))).toEqual(new Set(['8825Q']));
    expect(result.queries).toBe(cohort.filter((c) => c.family === 'nfa').length);
  }, 120_000);

  it('returns the same children and the same counts whatever the batch size (streamed, set-based)', async () => {
    const a = await build('2025-26', 1000);
    const b = await build('2025-26', 7);
    expect(b.counts).toEqual(a.counts);
    expect(b.xml).toBe(a.xml);
    // Every child was referred in the year except those open on 1 April; plans started at conferences.
    expect(a.counts.referrals).toBe(N - ofFamily('open-on-1-april'));
    expect(a.counts.cpPlans).toBe(ofFamily('cp-plan') + ofFamily('transfer-in'));
  }, 120_000);

  it('returns the year before as it stood on its own reference date (2024-25), valid against CIN_schema_2025.xsd', async () => {
    const result = await build('2024-25');
    // Only the children referred before 1 April 2025 (the 20 open on 1 April 2025) are in 2024-25's return.
    expect(result.counts.children).toBe(cohort.filter((c) => c.family === 'open-on-1-april').length);
    const check = await validateXML({
      xml: { fileName: 'census.xml', contents: result.xml },
      schema: schemaFor('2024-25'),
    });
    expect(check.errors).toEqual([]);
    // Nothing recorded after 31 March 2025 is in it: the plans started later are not there.
    expect(result.xml).not.toMatch(/<CINPlanStartDate>2025-0[4-9]/);
    expect(result.xml).not.toContain('<CINclosureDate>');
  }, 120_000);
});

describe('producing and keeping the file', () => {
  it('keeps the file with who made it, its serial number and counts, and audits making and downloading it', async () => {
    const analyst = await userFor(h.db, 'performance-analyst');
    const now = new Date('2026-05-01T09:00:00Z');
    const id = await run(h.db, (trx) =>
      produceCensusFile(contextFor(trx, analyst, now), { yearId: '2025-26' }),
    );
    const second = await run(h.db, (trx) =>
      produceCensusFile(contextFor(trx, analyst, now), { yearId: '2025-26' }),
    );
    const files = await run(h.db, (trx) => listCensusFiles(contextFor(trx, analyst, now)));
    expect(files.map((f) => f.serialNo)).toEqual([2, 1]);
    expect(files[1]).toMatchObject({ id, year: '2025-26', errors: 0, producedByName: analyst.displayName });
    expect(files[1]!.counts.children).toBe(N);
    const file = await run(h.db, (trx) => downloadCensusFile(contextFor(trx, analyst, now), id));
    expect(file.fileName).toBe('CIN_318_2025-26_001.xml');
    const xml = file.xml.toString('utf8');
    expect(xml).toContain('<SerialNo>001</SerialNo>');
    const check = await validateXML({
      xml: { fileName: file.fileName, contents: xml },
      schema: schemaFor('2025-26'),
    });
    expect(check.valid).toBe(true);
    const audit = await h.db
      .selectFrom('auditEvents')
      .select(['action', 'subjectId'])
      .where('subjectType', '=', 'census-return')
      .orderBy('occurredAt')
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'census-return.produced', subjectId: id },
        { action: 'census-return.produced', subjectId: second },
        { action: 'census-return.downloaded', subjectId: id },
      ]),
    );
  }, 120_000);

  it('cannot be done without returns:produce', async () => {
    const sw = await userFor(h.db, 'social-worker');
    await expect(
      run(h.db, (trx) =>
        produceCensusFile(contextFor(trx, sw, new Date('2026-05-01T09:00:00Z')), { yearId: '2025-26' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedError', permission: 'returns:produce' });
  });
});

describe('the demo data', () => {
  it('makes a return for the year it falls in that is valid against the schema with no errors', async () => {
    const demo = await testDb();
    try {
      const org = await seededOrganisation(demo.db);
      const now = new Date('2026-11-26T10:30:00Z');
      await demo.db.transaction().execute(async (trx) => {
        await seedDemoPeople(trx, org, now);
        await seedDemoFrontDoor(trx, org, now, calendar);
        await seedDemoEarlyHelp(trx, org, now);
        await seedDemoSocialCare(trx, org, now, calendar);
      });
      let xml = '';
      const result = await buildCensusReturn(demo.db, calendar, {
        yearId: '2026-27',
        localAuthorityId: org.richmondId,
        header: { laCode: '318', softwareCode: 'Threshold', release: '0.1.0', serialNo: 1, dateTime: now },
        out: (chunk) => {
          xml += chunk;
        },
      });
      expect(result.counts.children).toBeGreaterThanOrEqual(2);
      expect(result.failures.filter((f) => f.kind === 'error')).toEqual([]);
      const check = await validateXML({
        xml: { fileName: 'demo.xml', contents: xml },
        schema: schemaFor('2026-27'),
      });
      expect(check.errors).toEqual([]);
      // 2026-27 has the pre-proceedings module: the demo's child in pre-proceedings carries it (valid against the
      // schema above), so the return no longer asks 8995Q; the offer accepted with no meeting held yet asks 9010Q.
      expect(xml).toContain('<PreProceedingsandFGDM>');
      expect(xml).toContain('<FGDMMeetingOffer>1</FGDMMeetingOffer>');
      const rules = result.failures.map((f) => f.rule);
      expect(rules).not.toContain('8995Q');
      expect(rules).toContain('9010Q');
    } finally {
      await demo.close();
    }
  }, 120_000);
});
