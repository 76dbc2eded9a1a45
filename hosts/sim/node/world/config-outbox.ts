/**
 * Pushing configuration changes to the simulated logger by hand: a JSON file dropped into
 * `<data-dir>/outbox/` holds the sections that change and the new "version"; the receiver sends
 * it (the logger gets it at its next session) and the file is renamed `*.pushed` (or `*.refused`
 * with the reason printed when it is not a change).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { Receiver } from "../../server/receiver.js";

export class ConfigOutbox {
  readonly dir: string;

  constructor(dataDir: string, private readonly receiver: Receiver, private readonly username: string, private readonly say: (line: string) => void) {
    this.dir = join(dataDir, "outbox");
    mkdirSync(this.dir, { recursive: true });
  }

  /** Sends every change waiting in the outbox. */
  poll(): void {
    for (const name of readdirSync(this.dir).filter((file) => file.endsWith(".json")).sort()) {
      const path = join(this.dir, name);
      try {
        const change: unknown = JSON.parse(readFileSync(path, "utf8"));
        if (typeof change !== "object" || change === null || Array.isArray(change)) throw new Error("not a JSON object");
        const { version, ...sections } = change as Record<string, unknown>;
        if (!Number.isInteger(version) || (version as number) < 1) throw new Error("needs a \"version\" above the logger's");
        this.receiver.pushConfig(this.username, version as number, JSON.stringify(sections));
        renameSync(path, `${path}.pushed`);
        this.say(`pushed configuration version ${String(version)} from ${name}`);
      } catch (error) {
        renameSync(path, `${path}.refused`);
        this.say(`${name} not pushed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
