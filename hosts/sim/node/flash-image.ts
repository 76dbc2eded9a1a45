/** Keeps a simulated logger's flash and key-value storage in files between runs. */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { MemoryKeyValueStore } from "../kv-store.js";

export function loadFlashImage(path: string, byteLength: number): Uint8Array | undefined {
  if (!existsSync(path)) return undefined;
  const bytes = new Uint8Array(readFileSync(path));
  if (bytes.length !== byteLength) {
    throw new Error(`${path} holds ${bytes.length} bytes; this flash has ${byteLength}. Delete it or use another --image.`);
  }
  return bytes;
}

export function saveFlashImage(path: string, image: Uint8Array): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, image);
  renameSync(temporary, path);
}

export function loadStorage(path: string): MemoryKeyValueStore {
  if (!existsSync(path)) return new MemoryKeyValueStore();
  const json = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
  const entries: Record<string, Uint8Array> = {};
  for (const [key, hex] of Object.entries(json)) entries[key] = Uint8Array.from(Buffer.from(hex, "hex"));
  return new MemoryKeyValueStore(entries);
}

export function saveStorage(path: string, store: MemoryKeyValueStore): void {
  const json: Record<string, string> = {};
  for (const [key, value] of Object.entries(store.entries())) json[key] = Buffer.from(value).toString("hex");
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(json, null, 2));
  renameSync(temporary, path);
}
