import { describe, expect, it } from 'vitest';
import { feedbackAddress, referrerFeedbackLetter } from './referrer-feedback.ts';

describe('the referrer’s feedback as a letter or email', () => {
  const input = {
    localAuthorityName: 'Richmond upon Thames',
    reference: 'C-2026-00042',
    receivedOn: '2026-11-23',
    referrerName: 'Ms Patel',
    childNames: ['Poppy Smith', 'Jack Smith'],
    feedback: 'Family support will contact the family this week.',
    signedBy: 'Sam Jones',
  };

  it('thanks the referrer, names the children in the body only, carries the decision’s words and signs off', () => {
    const letter = referrerFeedbackLetter(input);
    expect(letter.subject).toBe(
      'Your contact to Richmond upon Thames children’s services on 23 November 2026 (reference C-2026-00042)',
    );
    expect(letter.subject).not.toContain('Poppy');
    expect(letter.body).toBe(
      [
        'Dear Ms Patel,',
        'Thank you for contacting Richmond upon Thames children’s services on 23 November 2026 about Poppy Smith and Jack Smith. Our reference is C-2026-00042.',
        'Family support will contact the family this week.',
        'If you have new worries about the children, contact us again straight away. If a child is in immediate danger, call 999.',
        'Yours sincerely,\n\nSam Jones\nRichmond upon Thames Single Point of Access',
      ].join('\n\n'),
    );
  });

  it('writes to an unnamed referrer and about one child, or about nobody named', () => {
    const one = referrerFeedbackLetter({ ...input, referrerName: null, childNames: ['Poppy Smith'] });
    expect(one.body).toMatch(/^Dear Sir or Madam,/);
    expect(one.body).toContain('about Poppy Smith. Our reference');
    expect(one.body).toContain('new worries about the child,');
    const none = referrerFeedbackLetter({ ...input, childNames: ['  '] });
    expect(none.body).toContain('on 23 November 2026. Our reference');
    const three = referrerFeedbackLetter({ ...input, childNames: ['A B', 'C D', 'E F'] });
    expect(three.body).toContain('about A B, C D and E F.');
  });

  it('prefills where to send it from what the referrer gave', () => {
    const referrer = { email: 'dsl@school.example', phone: '020 7946 0000' };
    expect(feedbackAddress('email', referrer)).toBe('dsl@school.example');
    expect(feedbackAddress('phone', referrer)).toBe('020 7946 0000');
    expect(feedbackAddress('letter', referrer)).toBe('');
    expect(feedbackAddress('email', { email: null, phone: null })).toBe('');
  });
});
