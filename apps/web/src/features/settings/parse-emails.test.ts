import { describe, expect, it } from 'vitest';
import { parseEmails } from './parse-emails';

describe('parseEmails', () => {
  it('includes the address still being typed', () => {
    expect(parseEmails(['a@example.com'], ' b@example.com ')).toEqual({ emails: ['a@example.com', 'b@example.com'], invalid: [] });
  });

  it('splits pasted lists and drops case-insensitive duplicates', () => {
    expect(parseEmails(['a@example.com, A@example.com;c@example.com'])).toEqual({
      emails: ['a@example.com', 'c@example.com'],
      invalid: [],
    });
  });

  it('separates invalid addresses', () => {
    expect(parseEmails(['jane', 'a@example.com', 'x@'])).toEqual({ emails: ['a@example.com'], invalid: ['jane', 'x@'] });
  });
});
