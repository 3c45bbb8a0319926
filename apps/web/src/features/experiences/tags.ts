export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 32;
const TAG_PATTERN = /^[a-z0-9_:-]+$/;

/** Tags are case-insensitive and stored lowercase; duplicates collapse silently (spec §1.8). */
export function normalizeTags(tags: string[]): string[] {
  const seen = new Set<string>();
  for (const raw of tags) {
    const tag = raw.trim().toLowerCase();
    if (tag !== '') seen.add(tag);
  }
  return [...seen];
}

/** The first rule a tag list breaks, worded for the input, or undefined when it is valid. */
export function tagsError(tags: string[]): string | undefined {
  if (tags.length > MAX_TAGS) return `At most ${String(MAX_TAGS)} tags per experience`;
  const tooLong = tags.find((t) => t.length > MAX_TAG_LENGTH);
  if (tooLong !== undefined) return `"${tooLong}" is longer than ${String(MAX_TAG_LENGTH)} characters`;
  const invalid = tags.find((t) => !TAG_PATTERN.test(t));
  if (invalid !== undefined) return `"${invalid}" may only contain letters, digits, "-", "_" and ":"`;
  return undefined;
}
