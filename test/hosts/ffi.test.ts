/**
 * The XS FFI declarations of the board hosts, checked without the SDK. mcconfig generates the
 * glue from the manifest's `ffi.functions` alone (extern prototypes, no headers) and a typing
 * per signature, so nothing compares them with the C definitions or with the TypeScript
 * interfaces the hosts cast `new FFI()` to; a mismatch would only show on the board. Here:
 * every declared function is in the hosts' natives interface with the types the glue gives
 * (uint64_t: bigint, pointers: ArrayBuffer, other integers: number), every interface method is
 * declared, and functions defined in the manifest's own C sources have the declared signature.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

interface Signature {
  arguments?: string[];
  returns?: string;
}

interface FfiSection {
  sources?: string[];
  functions: Record<string, Signature>;
}

/** What mcconfig's FFI glue types a C type as (tools/mcconfig ffi: tsType). */
function tsTypeOf(cType: string): string {
  const type = cType.replace(/\s+\*/g, "*").trim();
  if (type === "void") return "void";
  if (type === "char*" || type === "const char*") return "string";
  if (type === "int64_t" || type === "uint64_t") return "bigint";
  if (type.endsWith("*") || type.endsWith("]")) return "ArrayBuffer";
  return "number";
}

/** name -> "(t1, t2) => r" from the `interface ...Natives` blocks of a host's TypeScript files. */
function nativesInterfaces(dir: string): Map<string, string> {
  const methods = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(join(dir, file), "utf8");
    for (const block of text.matchAll(/interface \w+Natives(?: extends [\w, ]+)? \{([^}]*)\}/g)) {
      for (const m of block[1].matchAll(/^\s*(\w+)\(([^)]*)\):\s*([\w]+);/gm)) {
        const params = m[2].trim() ? m[2].split(",").map((p) => p.split(":")[1].trim()) : [];
        methods.set(m[1], `(${params.join(", ")}) => ${m[3]}`);
      }
    }
  }
  return methods;
}

/** name -> "(t1, t2) => r" in C types, for the functions the C sources define. */
function cDefinitions(files: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^([A-Za-z_][\w ]*?\**)\s*\b(\w+)\(([^)]*)\)\s*\{/gm)) {
      const returns = m[1].replace(/\bstatic\b/, "").replace(/\s+\*/g, "*").trim();
      const params = m[3].trim() === "void" || !m[3].trim()
        ? []
        : m[3].split(",").map((p) => p.trim().replace(/\s*\b\w+$/, "").replace(/\s+\*/g, "*").trim());
      found.set(m[2], `(${params.join(", ")}) => ${returns}`);
    }
  }
  return found;
}

for (const host of ["esp32", "nrf52"]) {
  describe(`${host} XS FFI declarations (hosts/${host}/manifest.json)`, () => {
    const manifestPath = `hosts/${host}/manifest.json`;
    const ffi = (JSON.parse(readFileSync(manifestPath, "utf8")) as { ffi: FfiSection }).ffi;
    const sources = (ffi.sources ?? []).map((s) => join(dirname(manifestPath), s));

    it("match the natives interface the host casts `new FFI()` to, both ways", () => {
      const declared = new Map(Object.entries(ffi.functions).map(([name, s]) => [
        name, `(${(s.arguments ?? []).map(tsTypeOf).join(", ")}) => ${tsTypeOf(s.returns ?? "void")}`,
      ]));
      assert.deepEqual(nativesInterfaces(`hosts/${host}`), declared);
    });

    it("match the definitions in the manifest's own C sources", () => {
      const defined = cDefinitions(sources);
      const mismatched: string[] = [];
      for (const [name, signature] of Object.entries(ffi.functions)) {
        const definition = defined.get(name);
        const wanted = `(${(signature.arguments ?? []).join(", ")}) => ${signature.returns ?? "void"}`;
        if (definition !== undefined && definition !== wanted) mismatched.push(`${name}: declared ${wanted}, defined ${definition}`);
      }
      assert.deepEqual(mismatched, []);
      const ours = Object.keys(ffi.functions).filter((name) => name.startsWith("dl_"));
      assert.deepEqual(ours.filter((name) => !defined.has(name)), [], "our dl_ functions are defined in the sources");
    });
  });
}
