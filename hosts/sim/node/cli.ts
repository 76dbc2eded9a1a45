/**
 * `datalogger` command line: `sim` runs a simulated logger; other subcommands are added by the
 * features that need them (decode, app, sign). Arguments are parsed by hand to keep the
 * dependency list short.
 */
import { appCommand } from "./app-command.js";
import { decodeCommand } from "./decode-command.js";
import { signCommand } from "./sign-command.js";
import { simCommand } from "./sim-command.js";

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  decode: { run: decodeCommand, summary: "decode an uplink packet, report, downlink or log image (FILE|- [--csv] [--as KIND])" },
  app: { run: appCommand, summary: "installer app over BLE to a simulated logger (--device ID --seed N --for 30s --site-check)" },
  sign: { run: signCommand, summary: "update signing: keygen, image, manifest, attach (HSM signature), notice, verify" },
  sim: { run: simCommand, summary: "run a simulated logger (--for 1d --speed max --seed N --image FILE)" },
};

function usage(): string {
  const lines = ["usage: datalogger <command> [options]", ""];
  for (const [name, command] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${command.summary}`);
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`unknown command "${name}"\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
