/**
 * Rate limit on failed handshakes: after the n-th failure in a row, new connections are refused
 * for min(base · 2^(n-1), max). A successful handshake clears it. There is no lockout: the wait
 * never exceeds `max`, so the rightful installer always gets through. A 256-bit pairing key cannot
 * be guessed anyway; this bounds the ECDH work and battery an attacker can make the logger spend.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 500, maxMs: 60_000 });

export class HandshakeBackoff {
  #failures = 0;
  #blockedUntil = 0;

  constructor(readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  get failures(): number {
    return this.#failures;
  }

  /** Milliseconds until connections are accepted again; 0 when they are. */
  remaining(nowMs: number): number {
    return Math.max(0, this.#blockedUntil - nowMs);
  }

  /** Records a failed handshake; returns the wait it imposes. */
  failed(nowMs: number): number {
    this.#failures++;
    const wait = Math.min(this.policy.baseMs * 2 ** Math.min(this.#failures - 1, 30), this.policy.maxMs);
    this.#blockedUntil = nowMs + wait;
    return wait;
  }

  succeeded(): void {
    this.#failures = 0;
    this.#blockedUntil = 0;
  }
}
