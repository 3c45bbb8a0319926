import { useCallback, useEffect, useRef } from 'react';
import { useBlocker, type Blocker, type Location } from 'react-router';

export interface UnsavedChangesGuard {
  /** Render it with `<UnsavedChangesModal blocker={…} />`. */
  blocker: Blocker;
  /** Lets navigation through from now on: the edits were saved or discarded on purpose, and the editor remounts after. */
  allowNavigation: () => void;
}

interface Options {
  /** Also guard moves that change only the query string, for pages where it selects what is edited (`?version=`). */
  guardSearch?: boolean;
}

/**
 * Asks before dirty edits are lost: in-app navigation (links, tabs, browser back) through
 * react-router's blocker, and closing or reloading the tab through `beforeunload`, whose prompt
 * the browser words itself.
 */
export function useUnsavedChangesGuard(dirty: boolean, { guardSearch = false }: Options = {}): UnsavedChangesGuard {
  const allowed = useRef(false);
  const blocker = useBlocker(
    useCallback(
      ({ currentLocation, nextLocation }: { currentLocation: Location; nextLocation: Location }) =>
        dirty &&
        !allowed.current &&
        (currentLocation.pathname !== nextLocation.pathname || (guardSearch && currentLocation.search !== nextLocation.search)),
      [dirty, guardSearch],
    ),
  );
  useEffect(() => {
    if (!dirty) return undefined;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
  const allowNavigation = useCallback(() => {
    allowed.current = true;
  }, []);
  return { blocker, allowNavigation };
}
