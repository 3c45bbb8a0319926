/**
 * In-process notification that something a project's decisions depend on changed (attributes,
 * audiences, experiences, priority). Services emit after their transaction commits; the edge's
 * snapshot cache listens and rebuilds before the write's response is sent (listeners are awaited).
 */
export interface ProjectChange {
  projectUid: string;
  resource: 'project' | 'attribute' | 'audience' | 'event' | 'experience' | 'version' | 'priority';
  resourceUid: string | null;
}

export type ChangeListener = (change: ProjectChange) => Promise<void> | void;

export interface ChangeEvents {
  emit(change: ProjectChange): Promise<void>;
  subscribe(listener: ChangeListener): () => void;
}

export function createChangeEvents(): ChangeEvents {
  const listeners = new Set<ChangeListener>();
  return {
    async emit(change) {
      for (const listener of listeners) await listener(change);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
