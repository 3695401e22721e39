// One result shape for every identifier parser: callers branch on `ok`, never on exceptions.

export type Valid<T> = { ok: true; value: T };
export type Invalid<R extends string> = { ok: false; reason: R; message: string };
export type Result<T, R extends string> = Valid<T> | Invalid<R>;

export function invalid<R extends string>(reason: R, message: string): Invalid<R> {
  return { ok: false, reason, message };
}
