import { describe, expect, it } from 'vitest';
import { linkFor, messageIdFor, retryDelayMinutes } from './outbox.ts';

describe('email outbox rules', () => {
  it('waits 1, 2, 4 … minutes between attempts, never more than 6 hours', () => {
    expect([1, 2, 3, 4, 5, 9, 10, 30].map(retryDelayMinutes)).toEqual([1, 2, 4, 8, 16, 256, 360, 360]);
  });

  it('gives each email a Message-ID of its own row, in the sender’s domain', () => {
    expect(messageIdFor('abc', 'Threshold <threshold@richmond.gov.uk>')).toBe('<abc@richmond.gov.uk>');
    expect(messageIdFor('abc', 'threshold@richmond.gov.uk')).toBe('<abc@richmond.gov.uk>');
  });

  it('makes a page’s path whole with the public address', () => {
    expect(linkFor('https://threshold.example.gov.uk/', '/information-requests/1')).toBe(
      'https://threshold.example.gov.uk/information-requests/1',
    );
  });
});
