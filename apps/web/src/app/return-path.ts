/** Where to go after logging in: only same-site paths, so a crafted link cannot bounce users away. */
export function safeReturnPath(value: string | null): string {
  if (value == null || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

export function loginPathFor(returnTo: string): string {
  return returnTo === '/' ? '/login' : `/login?returnTo=${encodeURIComponent(returnTo)}`;
}
