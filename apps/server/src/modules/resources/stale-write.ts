import { ConflictError, NotFoundError } from '../../shared/errors.js';

/** Thrown inside a transaction when the conditional write matched no row: someone wrote first. */
export class StaleWriteError extends Error {
  constructor() {
    super('stale write');
  }
}

export interface StaleWriteAnswer {
  /** e.g. personalize.AUDIENCES.VERSION_CONFLICT */
  conflictCode: string;
  notFoundCode: string;
  /** The server copy as the API shows it, or undefined when it was deleted meanwhile. */
  reread(): Promise<unknown>;
}

/**
 * Runs a versioned write; when it lost the race (StaleWriteError, after the transaction rolled
 * back) answers 409 with the winner's copy, or 404 when the resource is gone.
 */
export async function answerStaleWrite<T>(write: () => Promise<T>, answer: StaleWriteAnswer): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    const current = await answer.reread();
    if (current === undefined) throw new NotFoundError(answer.notFoundCode, 'It was deleted by someone else.');
    throw versionConflict(answer.conflictCode, current);
  }
}

export function versionConflict(code: string, current: unknown): ConflictError {
  return new ConflictError(code, 'Someone else changed it since you loaded it. The current copy is in "current"; reload, reapply your change and save again.', {
    current,
  });
}
