/**
 * Installs TextEncoder and TextDecoder from Moddable's text modules as globals, as the firmware
 * (and the modem driver at module load) expects. The host's main module imports this first, so
 * it runs before any firmware module body.
 */
import TextDecoder from "text/decoder";
import TextEncoder from "text/encoder";

const scope = globalThis as { TextEncoder?: unknown; TextDecoder?: unknown };
scope.TextEncoder ??= TextEncoder;
scope.TextDecoder ??= TextDecoder;
