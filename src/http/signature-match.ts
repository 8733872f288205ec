import { timingSafeEqual } from "node:crypto";

/**
 * Compares a received signature with the expected one in constant time.
 * Lengths are compared in bytes, because a header with non-ASCII characters
 * has more bytes than characters and timingSafeEqual throws on a mismatch.
 */
export function signatureMatches(expected: string, received: string): boolean {
  const expectedBytes = Buffer.from(expected, "utf8");
  const receivedBytes = Buffer.from(received, "utf8");
  return (
    expectedBytes.length === receivedBytes.length &&
    timingSafeEqual(expectedBytes, receivedBytes)
  );
}
