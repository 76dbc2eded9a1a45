/**
 * The globals xsnap-worker gives a script, typed here instead of declared globally so that Node
 * code type-checked with this project cannot reach them by accident. Code under in-xs/ runs only
 * inside XS.
 */
interface XsnapGlobals {
  /** Sends bytes to the parent and blocks until it answers. */
  issueCommand(message: ArrayBuffer): ArrayBuffer;
  /** Writes its arguments as one line on the worker's stdout. */
  print(...values: unknown[]): void;
  handleCommand?: (message: ArrayBuffer) => ArrayBuffer | undefined;
}

const xsnap = globalThis as unknown as XsnapGlobals;

export function issueCommand(message: Uint8Array): Uint8Array {
  if (typeof xsnap.issueCommand !== "function") throw new Error("issueCommand is missing: this code must run in xsnap-worker");
  const buffer = message.byteOffset === 0 && message.byteLength === message.buffer.byteLength
    ? message.buffer as ArrayBuffer
    : message.slice().buffer;
  return new Uint8Array(xsnap.issueCommand(buffer));
}

export function print(line: string): void {
  xsnap.print(line);
}

/** Installs the function the parent's `?` commands call; its reply goes back as the command's result. */
export function handleCommands(handler: (message: Uint8Array) => Uint8Array): void {
  xsnap.handleCommand = (message) => {
    const reply = handler(new Uint8Array(message));
    return reply.byteOffset === 0 && reply.byteLength === reply.buffer.byteLength ? reply.buffer as ArrayBuffer : reply.slice().buffer;
  };
}
