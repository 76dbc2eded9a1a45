/**
 * Modules the SDK 8.2 typings declare (typings/embedded/storage/key-value.d.ts, typings/mc/ffi.d.ts)
 * but @moddable/typings 5.6.0 on npm does not. Only for tsconfig.hosts.json: an mcconfig build
 * uses the SDK's own declarations, and for `mc/ffi` the ones it generates from the manifest.
 */
declare module "embedded:storage/key-value" {
  export interface Storage {
    read(key: string): ArrayBuffer | string | number | bigint | undefined;
    write(key: string, value: ArrayBuffer | string | number | bigint): void;
    delete(key: string): void;
    [Symbol.iterator](): Iterator<string>;
    close(): void;
  }
  const KeyValueStorage: {
    open(options: { path: string; mode?: "r" | "r+"; format?: "buffer" }): Storage;
  };
  export default KeyValueStorage;
}

declare module "mc/ffi" {
  /** mcconfig generates exact signatures from the manifest's ffi.functions; the hosts cast to their own interface. */
  interface FFI {
    readonly [name: string]: unknown;
  }
  const FFI: { new (): FFI };
  export default FFI;
}
