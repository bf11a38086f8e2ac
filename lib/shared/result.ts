import type { LensError } from './errors';

/** What crosses every boundary (adapter → background → UI): data or an error as data, never a throw. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: LensError };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = <T = never>(error: LensError): Result<T> => ({ ok: false, error });
