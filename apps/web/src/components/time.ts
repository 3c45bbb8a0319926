import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';

dayjs.extend(relativeTime);

/** "2 hours ago"; `now` is injectable so tests do not depend on the clock. */
export function timeAgo(iso: string, now: Date = new Date()): string {
  return dayjs(iso).from(dayjs(now));
}

/** "May 15, 2026 03:13 PM", the format of Contentstack's audit cells. */
export function formatTimestamp(iso: string): string {
  return dayjs(iso).format('MMM D, YYYY hh:mm A');
}
