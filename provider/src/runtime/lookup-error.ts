/** The lookups a {@link LookupError} can come from. */
export type LookupName = "getVmInstance" | "getVmInstances";

/**
 * The error of a VM lookup: bad arguments, no VM or several where one was asked for, too many matches, or the
 * ZStack call failing (then `cause` is the client's `ZStackError`). The message says what happened and how to
 * fix it; it never quotes a credential.
 */
export class LookupError extends Error {
  override readonly name = "LookupError";

  /**
   * @param lookup
   *  the lookup that failed.
   * @param message
   *  the whole message, starting with the lookup's name.
   * @param matched
   *  how many VMs matched, when that is what went wrong.
   * @param cause
   *  the underlying error, when there is one.
   */
  constructor(
    readonly lookup: LookupName,
    message: string,
    readonly matched?: number,
    cause?: unknown,
  ) {
    // Not ErrorOptions: the published .d.ts must compile with lib es2020, which does not declare it.
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** A {@link LookupError} whose message is `<lookup>: <text>`. */
export function lookupError(
  lookup: LookupName,
  text: string,
  matched?: number,
  cause?: unknown,
): LookupError {
  return new LookupError(lookup, `${lookup}: ${text}`, matched, cause);
}
