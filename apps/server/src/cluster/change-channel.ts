import type { ProjectChange } from '../shared/change-events.js';

/** A committed change as announced to the other processes, with the decision revision it made. */
export interface AnnouncedChange extends ProjectChange {
  /** Null for changes decisions do not depend on (event definitions). */
  revision: number | null;
}

export type ChannelState = 'up' | 'down';

/**
 * How one process tells the others of the same installation what it committed, so they update
 * their snapshots and caches without waiting for a request (ADR 0095). Delivery is best effort:
 * a listener that may have missed announcements is told to resync, and while the channel is
 * down the revision poll covers for it.
 */
export interface ChangeChannel {
  /** Never throws: a failed announcement is logged, and the others' poll still finds it. */
  announce(change: AnnouncedChange): Promise<void>;
  onChange(listener: (change: AnnouncedChange) => void): void;
  /** Called when announcements may have been missed (after a reconnect). */
  onResync(listener: () => void): void;
  readonly state: ChannelState;
  /**
   * Only between the workers of one machine (SQLite): visitor-profile writes, announced so the
   * other workers drop their cached copy and may keep profiles without expiry, as one process does.
   */
  readonly profileWrites?: {
    announce(projectUid: string, visitorUid: string): void;
    onWrite(listener: (projectUid: string, visitorUid: string) => void): void;
  };
  /** Announcements from other processes heard, and times the channel was lost, since start. */
  readonly counts: { readonly received: number; readonly losses: number };
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The channel of a process that is the only one using its database: nothing to tell anyone. */
export function createSoleProcessChannel(): ChangeChannel {
  return {
    announce: async () => undefined,
    onChange: () => undefined,
    onResync: () => undefined,
    state: 'up',
    counts: { received: 0, losses: 0 },
    start: async () => undefined,
    close: async () => undefined,
  };
}

/** Announcements travel as short JSON; anything else on the channel is ignored. */
export function encodeChange(origin: string, change: AnnouncedChange): string {
  return JSON.stringify({ o: origin, p: change.projectUid, k: change.resource, u: change.resourceUid, r: change.revision });
}

const RESOURCES = new Set<ProjectChange['resource']>(['project', 'attribute', 'audience', 'event', 'experience', 'version', 'priority']);

export function decodeChange(payload: string): { origin: string; change: AnnouncedChange } | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { o, p, k, u, r } = value as Record<string, unknown>;
  if (typeof o !== 'string' || typeof p !== 'string' || !RESOURCES.has(k as ProjectChange['resource'])) return null;
  if (u !== null && typeof u !== 'string') return null;
  if (r !== null && !(typeof r === 'number' && Number.isSafeInteger(r) && r >= 0)) return null;
  return { origin: o, change: { projectUid: p, resource: k as ProjectChange['resource'], resourceUid: u, revision: r } };
}
