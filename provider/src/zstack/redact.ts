/**
 * Secret scrubbing: every text the client puts in an error or a log line passes through a {@link Redactor}.
 *
 * The client registers each secret it knows (the password and its SHA-512, session ids, the AccessKey secret,
 * signatures) and the redactor replaces them with `***`. `Authorization` header values are scrubbed by pattern too,
 * so a header echoed back by a proxy never leaks.
 */

/** The replacement for a scrubbed secret. */
const REDACTED = "***";

const AUTH_HEADER_PATTERN = /\b(OAuth|ZStack)\s+[^\s"',;]+/g;

/** Replaces known secrets (and any `Authorization` header value) in texts. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret; values shorter than 4 characters are ignored (they would scrub ordinary text). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  /** Forgets a secret that is no longer in use (e.g. a session id after logout). */
  remove(secret: string | undefined): void {
    if (secret) this.secrets.delete(secret);
  }

  /** The text with every registered secret and every `OAuth …` / `ZStack id:sig` credential replaced. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out.replace(AUTH_HEADER_PATTERN, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  }
}
