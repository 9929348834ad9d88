/**
 * Encryption of secret values in the harness state file, in the shape Pulumi's checkpoints use:
 * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "..."}`.
 *
 * Why encrypt rather than redact: the engine must give the provider the real previous values (Check olds, Diff olds,
 * Delete props), so a redacted marker would break the next run. AES-256-GCM with a key derived by scrypt from a
 * passphrase (like Pulumi's passphrase secrets provider) keeps plaintext out of the file and the round trip exact.
 */
import * as crypto from "node:crypto";
import { SECRET_SIG, SPECIAL_SIG_KEY, isSecret, secret } from "../provider-host/properties";

/** A secret as stored in the state file. */
export interface EncryptedSecret {
  readonly [SPECIAL_SIG_KEY]: typeof SECRET_SIG;
  readonly ciphertext: string;
}

/** Encrypts and decrypts state secrets with one passphrase and salt. */
export class SecretsCrypter {
  private readonly key: Buffer;

  /** `salt` is stored (base64) in the state file header; `passphrase` never is. */
  constructor(passphrase: string, salt: string) {
    this.key = crypto.scryptSync(passphrase, Buffer.from(salt, "base64"), 32);
  }

  /** A fresh random salt for a new state file. */
  static newSalt(): string {
    return crypto.randomBytes(16).toString("base64");
  }

  /** Replaces every secret-wrapped value (deeply) with its encrypted form. */
  encryptDeep(v: unknown): unknown {
    if (isSecret(v)) return this.encrypt(v.value);
    if (Array.isArray(v)) return v.map((x) => this.encryptDeep(x));
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.encryptDeep(x)]));
    }
    return v;
  }

  /** Replaces every encrypted value (deeply) with the secret-wrapped plain value. */
  decryptDeep(v: unknown): unknown {
    if (isEncrypted(v)) return secret(this.decrypt(v));
    if (Array.isArray(v)) return v.map((x) => this.decryptDeep(x));
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.decryptDeep(x)]));
    }
    return v;
  }

  private encrypt(value: unknown): EncryptedSecret {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    const ciphertext = `v1:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${data.toString("base64")}`;
    return { [SPECIAL_SIG_KEY]: SECRET_SIG, ciphertext };
  }

  private decrypt(e: EncryptedSecret): unknown {
    const [version, iv, tag, data] = e.ciphertext.split(":");
    if (version !== "v1") throw new Error(`unsupported secret encoding ${version}`);
    const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]);
      return JSON.parse(plain.toString("utf8")) as unknown;
    } catch {
      throw new Error("cannot decrypt a secret in the state file: wrong secrets passphrase?");
    }
  }
}

function isEncrypted(v: unknown): v is EncryptedSecret {
  return (
    typeof v === "object" &&
    v !== null &&
    (v as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG &&
    typeof (v as Record<string, unknown>).ciphertext === "string"
  );
}
