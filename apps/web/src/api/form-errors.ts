import { isApiError } from './api-error';

/** The server's message for the first of `paths` it complained about, to show under an input. */
export function fieldErrorOf(error: unknown, ...paths: string[]): string | undefined {
  if (!isApiError(error)) return undefined;
  for (const path of paths) {
    const message = error.fieldError(path);
    if (message !== undefined) return message;
  }
  return undefined;
}

/** A message for the form as a whole, when no field took the blame. */
export function formErrorOf(error: unknown, knownPaths: string[]): string | undefined {
  if (error == null) return undefined;
  if (isApiError(error)) {
    const unmatched = Object.entries(error.fieldErrors).filter(([path]) => !knownPaths.includes(path));
    if (Object.keys(error.fieldErrors).length > 0 && unmatched.length === 0) return undefined;
    if (unmatched.length > 0) return unmatched.map(([path, m]) => `${path}: ${m.join(', ')}`).join('; ');
    return error.message;
  }
  return error instanceof Error ? error.message : 'Unexpected error';
}
