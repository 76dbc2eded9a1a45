/** Both xsnap-worker drivers against the real binary: the same behaviour, sync or async. */
import assert from "node:assert/strict";
import { encodeNetstring, NetstringReader } from "../../hosts/xs/netstring.js";
import { XsSyncWorker } from "../../hosts/xs/sync-worker.js";
import { XsWorker } from "../../hosts/xs/worker.js";
import { XsException, XsWorkerGone, type XsResult } from "../../hosts/xs/xsnap-protocol.js";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value);

/** The common surface of the two drivers, awaited. */
interface Driver {
  evaluate(code: string): Promise<XsResult>;
  issueCommand(message: Uint8Array): Promise<XsResult>;
  close(): Promise<void>;
}

interface DriverOptions {
  meteringLimit?: number;
  onQuery?: (request: Uint8Array) => Uint8Array;
  onOutput?: (line: string) => void;
}

const DRIVERS: Record<string, (options: DriverOptions) => Driver> = {
  XsWorker: (options) => new XsWorker({ name: "test-async", ...options }),
  XsSyncWorker: (options) => {
    const worker = new XsSyncWorker({ name: "test-sync", ...options });
    return {
      evaluate: async (code) => worker.evaluate(code),
      issueCommand: async (message) => worker.issueCommand(message),
      close: async () => worker.close(),
    };
  },
};

describe("xsnap-worker drivers", function () {
  this.timeout(20_000);

  for (const [driverName, start] of Object.entries(DRIVERS)) {
    describe(driverName, () => {
      it("evaluates scripts, keeps global state, and meters each command", async () => {
        const worker = start({});
        try {
          const small = await worker.evaluate("globalThis.total = 0; for (let i = 0; i < 10; i++) total += i;");
          const large = await worker.evaluate("for (let i = 0; i < 10000; i++) total += i; new Uint8Array([total % 256]).buffer");
          assert.deepEqual([...large.reply], [(45 + 49995000) % 256]);
          assert.equal(small.reply.length, 0);
          assert.ok(large.meter.compute > 100 * small.meter.compute, `${small.meter.compute} vs ${large.meter.compute}`);
          assert.ok(large.meter.heapCount > 0 && large.meter.allocate > 0);
        } finally {
          await worker.close();
        }
      });

      it("answers issueCommand queries and delivers commands to handleCommand", async () => {
        const worker = start({ onQuery: (request) => bytes(`echo:${text(request)}`) });
        try {
          await worker.evaluate(`globalThis.handleCommand = (buffer) => {
            const asked = new TextDecoder().decode(buffer);
            const answer = new TextDecoder().decode(issueCommand(new TextEncoder().encode(asked + "?").buffer));
            return new TextEncoder().encode(answer + "!").buffer;
          };`);
          assert.equal(text((await worker.issueCommand(bytes("ping"))).reply), "echo:ping?!");
          const many = await worker.evaluate(`let n = 0; for (let i = 0; i < 500; i++) n += issueCommand(new ArrayBuffer(3)).byteLength;
            new Uint8Array([n >> 8, n & 255]).buffer`);
          assert.equal((many.reply[0] << 8) | many.reply[1], 500 * 8);
        } finally {
          await worker.close();
        }
      });

      it("reports an exception in XS and keeps the worker usable", async () => {
        const worker = start({});
        try {
          await assert.rejects(worker.evaluate("throw new RangeError('nope')"), (error: Error) =>
            error instanceof XsException && /RangeError: nope/.test(error.message));
          assert.deepEqual([...(await worker.evaluate("new Uint8Array([7]).buffer")).reply], [7]);
        } finally {
          await worker.close();
        }
      });

      it("names the reason when the worker dies, with its last output, and refuses later commands", async () => {
        const lines: string[] = [];
        const worker = start({ meteringLimit: 1_000_000, onOutput: (line) => lines.push(line) });
        await worker.evaluate("print('last words')");
        await assert.rejects(worker.evaluate("for (;;) {}"), (error: Error) =>
          error instanceof XsWorkerGone && /exited with code 17: too much computation/.test(error.message) && /last words/.test(error.message));
        await assert.rejects(worker.evaluate("1"), XsWorkerGone);
        assert.deepEqual(lines, ["last words"]);
        await worker.close();
      });

      it("kills the worker with a clear error when the query handler fails", async () => {
        const worker = start({ onQuery: () => { throw new Error("handler broke"); } });
        await assert.rejects(worker.evaluate("issueCommand(new ArrayBuffer(1))"), /query handler failed: .*handler broke/);
        await assert.rejects(worker.evaluate("1"), XsWorkerGone);
        await worker.close();
      });
    });
  }

  it("XsWorker awaits an asynchronous query handler", async () => {
    const worker = new XsWorker({ name: "test-async-query", onQuery: async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return Uint8Array.of(request.length);
    } });
    try {
      const result = await worker.evaluate("new Uint8Array(issueCommand(new ArrayBuffer(9))).buffer");
      assert.deepEqual([...result.reply], [9]);
    } finally {
      await worker.close();
    }
  });

  it("XsSyncWorker refuses a query handler that calls back into the same worker", () => {
    const worker: XsSyncWorker = new XsSyncWorker({ name: "test-reentrant", onQuery: () => worker.evaluate("1").reply });
    assert.throws(() => worker.evaluate("issueCommand(new ArrayBuffer(1))"), /query handler failed: .*re-entrant call/);
    worker.close();
  });
});

describe("netstrings", () => {
  it("frames messages and reassembles them from arbitrary chunks", () => {
    const stream = new Uint8Array([...encodeNetstring(bytes("e1+1")), ...encodeNetstring(), ...encodeNetstring(bytes("x"), bytes("yz"))]);
    assert.equal(text(stream), "4:e1+1,0:,3:xyz,");
    for (let split = 0; split <= stream.length; split++) {
      const reader = new NetstringReader();
      const messages = [...reader.push(stream.subarray(0, split)), ...reader.push(stream.subarray(split))];
      assert.deepEqual(messages.map(text), ["e1+1", "", "xyz"]);
      assert.equal(reader.pending, 0);
    }
  });

  it("refuses a bad length prefix or a missing trailing comma", () => {
    assert.throws(() => new NetstringReader().push(bytes("4x:abcd,")), /bad length prefix/);
    assert.throws(() => new NetstringReader().push(bytes("2:abc")), /missing trailing comma/);
    assert.throws(() => new NetstringReader().push(bytes("1234567890")), /no length prefix/);
  });
});
