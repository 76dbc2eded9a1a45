/**
 * The TextEncoder and TextDecoder globals the firmware uses, which hosts/moddable/sdk/
 * install-text-globals.ts creates from Moddable's text modules. Neither the SDK's typings nor the
 * ES library declare them as globals. Listed in tsconfig.hosts.json and, for mcconfig's tsc, in
 * the top-level manifest.json (typescript.tsconfig.compilerOptions.types).
 */
export {};

declare global {
  var TextEncoder: typeof import("text/encoder").default;
  var TextDecoder: typeof import("text/decoder").default;
}
