import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * A fresh name in `file`'s directory (so the final rename stays on one file system) that no
 * reader mistakes for the finished file: `<name>.partial-<random>`.
 */
export function partialPathFor(file: string): string {
  return path.join(path.dirname(file), `${path.basename(file)}.partial-${randomBytes(4).toString('hex')}`);
}

async function fsync(target: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await fs.open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A backup holds what the database does (password and session digests, invitation digests):
 * readable by its owner only, whatever the umask.
 */
export const BACKUP_FILE_MODE = 0o600;

/** Makes a complete `partial` the file at `file` in one step: synced, renamed, directory synced. */
export async function commitPartial(partial: string, file: string): Promise<void> {
  await fsync(partial, 'r+');
  await fs.rename(partial, file);
  // The rename itself survives a power loss only once the directory entry is on disk.
  await fsync(path.dirname(file), 'r');
}

/**
 * Gives `file` the owner (when running as root) and permissions of `reference` (an existing
 * file, or for a new file the directory it goes in, without the execute bits).
 */
export async function copyOwnership(reference: string, file: string): Promise<void> {
  const ref = await fs.stat(reference);
  await fs.chmod(file, ref.isDirectory() ? ref.mode & 0o666 : ref.mode & 0o777);
  if (process.getuid?.() === 0 && (ref.uid !== 0 || ref.gid !== 0)) await fs.chown(file, ref.uid, ref.gid);
}

export async function removeQuietly(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
