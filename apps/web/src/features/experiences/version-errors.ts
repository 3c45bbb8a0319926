import { isApiError } from '../../api/api-error';
import { notifyError } from '../../components/notify';

export function isVersionConflict(error: unknown): boolean {
  return isApiError(error) && error.status === 409 && (error.code?.endsWith('VERSION_CONFLICT') ?? false);
}

/**
 * A stale write (someone else saved the version first) reloads the server copy and says so;
 * anything else is shown as it came. Returns the server's field errors for the editor.
 */
export function reportVersionError(error: unknown, reload: () => Promise<unknown>, title = 'Could not save'): Record<string, string> {
  if (isVersionConflict(error)) {
    notifyError(new Error('Someone else changed this version. The latest copy has been loaded; please make your change again.'), 'Not saved: edit conflict');
    void reload();
    return {};
  }
  notifyError(error, title);
  if (!isApiError(error)) return {};
  return Object.fromEntries(Object.entries(error.fieldErrors).flatMap(([path, messages]) => (messages[0] === undefined ? [] : [[path, messages[0]]])));
}
