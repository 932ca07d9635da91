import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ABUSE_CATEGORIES,
  ASSESSMENT_FACTORS,
  CIN_CLOSURE_REASONS,
  PRIMARY_NEED_CODES,
  REFERRAL_SOURCES,
} from './cin-census.ts';

// The DfE schema for the 2025-26 collection (a community copy kept unchanged in test/fixtures/cin-census).
const xsd = fs.readFileSync(
  new URL('../../../test/fixtures/cin-census/CIN_schema_2026.xsd', import.meta.url),
  'utf8',
);

function enumeration(typeName: string): string[] {
  const start = xsd.indexOf(`<xs:simpleType name="${typeName}">`);
  expect(start, typeName).toBeGreaterThan(-1);
  const end = xsd.indexOf('</xs:simpleType>', start);
  return [...xsd.slice(start, end).matchAll(/<xs:enumeration value="([^"]+)"/g)].map((m) => m[1]!);
}

describe('CIN census code sets match the DfE schema', () => {
  it.each([
    ['referralsourcetype', REFERRAL_SOURCES],
    ['primaryneedcodetype', PRIMARY_NEED_CODES],
    ['reasonforclosuretype', CIN_CLOSURE_REASONS],
    ['categoryofabusetype', ABUSE_CATEGORIES],
    ['assessmentfactorstype', ASSESSMENT_FACTORS],
  ] as const)('%s', (typeName, codes) => {
    expect(codes.map((c) => c.code).sort()).toEqual(enumeration(typeName).sort());
  });
});
