import { z } from 'zod';

const emailSchema = z.email();

export interface ParsedEmails {
  emails: string[];
  invalid: string[];
}

/**
 * Joins the pills with whatever is still typed in the input (people click Invite without
 * pressing Enter), splits pasted lists, and drops case-insensitive duplicates.
 */
export function parseEmails(tags: string[], pendingText = ''): ParsedEmails {
  const seen = new Set<string>();
  const emails: string[] = [];
  const invalid: string[] = [];
  for (const raw of [...tags, pendingText].flatMap((t) => t.split(/[\s,;]+/))) {
    const value = raw.trim();
    if (value === '' || seen.has(value.toLowerCase())) continue;
    seen.add(value.toLowerCase());
    (emailSchema.safeParse(value).success ? emails : invalid).push(value);
  }
  return { emails, invalid };
}
