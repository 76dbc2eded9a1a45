/**
 * Every failure of the crypto layer: a bad key length, a point that is not on the curve, a
 * ciphertext that does not decrypt. Callers treat them all alike; the message says which for logs.
 */
export class CryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CryptoError";
  }
}
