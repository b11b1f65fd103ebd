import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-gateway-signature";
export const TIMESTAMP_HEADER = "x-gateway-timestamp";
const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/i;

/** `hex(HMAC-SHA256(secret, timestamp + "." + raw body))`, as the business rule computes it. */
export function webhookSignature(secret: string, timestamp: string, rawBody: Buffer): string {
  return createHmac("sha256", secret).update(`${timestamp}.`, "utf8").update(rawBody).digest("hex");
}

/** The hex digest of an `X-Gateway-Signature: sha256=<hex>` header, lower-cased; null if malformed. */
export function parseSignatureHeader(header: string | undefined): string | null {
  const match = header === undefined ? null : SIGNATURE_PATTERN.exec(header.trim());
  return match ? match[1].toLowerCase() : null;
}

/** Whether `given` is the signature of the body under any of `secrets`, in constant time each. */
export function signedByAny(
  secrets: readonly string[],
  given: string,
  timestamp: string,
  rawBody: Buffer,
): boolean {
  const expected = Buffer.from(given, "hex");
  let matched = false;
  for (const secret of secrets) {
    const actual = Buffer.from(webhookSignature(secret, timestamp, rawBody), "hex");
    // Every secret is tried, so the time taken does not tell which one matched.
    matched = timingSafeEqual(actual, expected) || matched;
  }
  return matched;
}
