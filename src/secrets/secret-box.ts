import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const ALGORITHM = "aes-256-gcm";
const VERSION = "v1";

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** A key's id: a short digest, stored beside each ciphertext so keys can rotate. */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

/** Parses a 32-byte key given as 64 hex characters or base64 / base64url. */
export function parseSecretKey(raw: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, trimmed.includes("-") || trimmed.includes("_") ? "base64url" : "base64");
  if (key.length !== 32) {
    throw new SecretBoxError(
      "a secret key must be 32 bytes, given as 64 hex or 44 base64 characters",
    );
  }
  return key;
}

/**
 * AES-256-GCM encryption of stored ServiceNow secrets. Each ciphertext is bound to where it
 * lives (associated data such as `integration-id:password`), so a ciphertext copied into
 * another row or column does not decrypt. Old keys stay readable; new writes use the current.
 */
export class SecretBox {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentKeyId: string;

  constructor(
    private readonly currentKey: Buffer,
    previousKeys: readonly Buffer[] = [],
  ) {
    this.currentKeyId = keyIdOf(currentKey);
    this.keys = new Map([currentKey, ...previousKeys].map((key) => [keyIdOf(key), key] as const));
  }

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.currentKey, iv);
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [
      VERSION,
      this.currentKeyId,
      iv.toString("base64url"),
      cipher.getAuthTag().toString("base64url"),
      ciphertext.toString("base64url"),
    ].join(".");
  }

  decrypt(payload: string, associatedData: string): string {
    const parts = payload.split(".");
    if (parts.length !== 5 || parts[0] !== VERSION) {
      throw new SecretBoxError("stored secret has an unknown format");
    }
    const [, keyId, iv, tag, ciphertext] = parts;
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretBoxError(
        `stored secret was encrypted with key ${keyId}, which is not configured (GATEWAY_SECRET_KEY / GATEWAY_SECRET_KEYS_PREVIOUS)`,
      );
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(associatedData, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new SecretBoxError("stored secret failed authentication (wrong key or tampered)");
    }
  }

  /** True when the payload was written with an older key and should be re-encrypted. */
  needsRotation(payload: string): boolean {
    return payload.split(".")[1] !== this.currentKeyId;
  }
}
