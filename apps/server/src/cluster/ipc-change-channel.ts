import { decodeChange, encodeChange, type AnnouncedChange, type ChangeChannel } from './change-channel.js';

/** The messages a worker sends its primary, which passes them on to every other worker. */
export interface ChangeMessage {
  tailor: 'change';
  payload: string;
}

export interface ProfileWriteMessage {
  tailor: 'profile';
  projectUid: string;
  visitorUid: string;
}

export function isChangeMessage(message: unknown): message is ChangeMessage {
  return typeof message === 'object' && message !== null && (message as ChangeMessage).tailor === 'change' && typeof (message as ChangeMessage).payload === 'string';
}

function isProfileWriteMessage(message: unknown): message is ProfileWriteMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as ProfileWriteMessage;
  return m.tailor === 'profile' && typeof m.projectUid === 'string' && typeof m.visitorUid === 'string';
}

/** What the primary relays from one worker to all the others. */
export function isRelayedMessage(message: unknown): message is ChangeMessage | ProfileWriteMessage {
  return isChangeMessage(message) || isProfileWriteMessage(message);
}

/**
 * The change channel between the workers of one `tailor serve --workers N` over SQLite (ADR 0095):
 * the IPC pipe to the primary, which relays each announcement, and each visitor-profile write,
 * to the other workers. The pipe
 * is reliable and ordered, so nothing needs resyncing; when it closes the primary is gone and
 * the worker shuts down.
 */
export function createIpcChangeChannel(origin: string): ChangeChannel {
  const listeners: Array<(change: AnnouncedChange) => void> = [];
  const profileListeners: Array<(projectUid: string, visitorUid: string) => void> = [];
  const counts = { received: 0, losses: 0 };
  const onMessage = (message: unknown) => {
    if (isProfileWriteMessage(message)) {
      for (const listener of profileListeners) listener(message.projectUid, message.visitorUid);
      return;
    }
    if (!isChangeMessage(message)) return;
    const decoded = decodeChange(message.payload);
    if (decoded === null || decoded.origin === origin) return;
    counts.received += 1;
    for (const listener of listeners) listener(decoded.change);
  };
  return {
    async announce(change) {
      if (!process.connected || process.send === undefined) return;
      const message: ChangeMessage = { tailor: 'change', payload: encodeChange(origin, change) };
      process.send(message);
    },
    onChange(listener) {
      listeners.push(listener);
    },
    onResync: () => undefined,
    profileWrites: {
      announce(projectUid, visitorUid) {
        if (!process.connected || process.send === undefined) return;
        process.send({ tailor: 'profile', projectUid, visitorUid } satisfies ProfileWriteMessage);
      },
      onWrite(listener) {
        profileListeners.push(listener);
      },
    },
    get state() {
      return process.connected ? 'up' : 'down';
    },
    counts,
    async start() {
      process.on('message', onMessage);
    },
    async close() {
      process.off('message', onMessage);
    },
  };
}
