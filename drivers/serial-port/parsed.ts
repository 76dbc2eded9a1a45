/** The result of decoding untrusted bytes: a value, or why there is none. Decoders never throw. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
