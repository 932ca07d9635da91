import { describe, expect, it } from 'vitest';
import { formatPounds, offerLabels, parsePounds, roleLabel } from './family-network.ts';

describe('family network money', () => {
  it.each([
    ['120', 12_000],
    ['£1,250.5', 125_050],
    ['0.99', 99],
    ['12.345', undefined],
    ['ten', undefined],
    ['-5', undefined],
  ])('reads %s as %s pence', (input, pence) => {
    expect(parsePounds(input)).toBe(pence);
  });

  it('shows whole pounds without pence, and pence when there are some', () => {
    expect(formatPounds(12_000)).toBe('£120');
    expect(formatPounds(125_050)).toBe('£1,250.50');
    expect(formatPounds(null)).toBe('');
  });
});

describe('family network labels', () => {
  it('names a role with its own words when given', () => {
    expect(roleLabel('grandparent', 'maternal')).toBe('Grandparent (maternal)');
    expect(roleLabel('neighbour', null)).toBe('Neighbour');
    expect(offerLabels(['respite', 'transport'])).toEqual(['Respite (short breaks)', 'Transport']);
  });
});
