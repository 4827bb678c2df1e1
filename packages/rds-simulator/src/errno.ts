/** Whether `err` is a Node.js system error with this code (ENOENT, EEXIST, ...). The simulator imports none of the
 * driver's packages, so it does not use the contracts' `thrownCode`. */
export const isErrno = (err: unknown, code: string): boolean =>
  err instanceof Error && 'code' in err && err.code === code;
