/**
 * The `datalogger sim` terminal view: the logger's last values, its log, modem and uplink state,
 * and what the server landed. Redrawn in place on a terminal; on a pipe, one line per session.
 */
import type { ChannelConfig } from "../../../../modules/config/channels.js";
import { channelOutputs, statIds } from "../../../../modules/config/channels-outputs.js";
import { SampleFlag, type Sample } from "../../../../modules/records/sample.js";
import type { GapRecord, SampleRecord } from "../../../../modules/uplink/records.js";
import type { IngestListener } from "../../server/ingest.js";
import type { LoggerParts } from "../../world/logger-firmware.js";

export interface ChannelLabel {
  name: string;
  unit: string;
}

/** Names every channel id the configuration logs under. */
export function channelLabels(channels: readonly ChannelConfig[]): Map<number, ChannelLabel> {
  const labels = new Map<number, ChannelLabel>();
  for (const channel of channels) {
    channelOutputs(channel).forEach((output, index) => {
      const named = output as { name?: string; unit?: string };
      const name = named.name ?? (index === 0 ? channel.name : `${channel.name}-rate`);
      const unit = named.unit ?? (channel as { unit?: string }).unit ?? "";
      labels.set(output.id, { name, unit });
      if (output.stats) for (const stat of statIds(output.stats)) labels.set(stat.id, { name: `${name} ${stat.kind}`, unit });
    });
  }
  return labels;
}

/** Counts what lands, keeps the last landed value per channel, and passes everything on. */
export class LandingCounter implements IngestListener {
  samples = 0;
  gaps = 0;
  lostInGaps = 0;

  constructor(private readonly next: IngestListener) {}

  onSample(deviceId: number, record: SampleRecord): void {
    this.samples++;
    this.next.onSample?.(deviceId, record);
  }

  onGap(deviceId: number, record: GapRecord): void {
    this.gaps++;
    this.lostInGaps += record.lost;
    this.next.onGap?.(deviceId, record);
  }
}

export interface ViewState {
  title: string;
  now: number;
  parts: LoggerParts | undefined;
  latest: ReadonlyMap<number, Sample>;
  labels: ReadonlyMap<number, ChannelLabel>;
  landing: LandingCounter;
  dataDir: string;
  events: readonly string[];
}

const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600 ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
}

function bytes(count: number): string {
  return count >= 10_240 ? `${(count / 1024).toFixed(1)} KiB` : `${count} B`;
}

export function renderView(state: ViewState): string[] {
  const lines = [`${state.title}   ${new Date(state.now).toISOString().replace("T", " ").slice(0, 19)}Z`, ""];
  const ids = [...state.latest.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const sample = state.latest.get(id)!;
    const label = state.labels.get(id) ?? { name: `channel ${id}`, unit: "" };
    const value = sample.flags & SampleFlag.Fault ? `fault ${sample.value}` : `${Number(sample.value.toFixed(3))} ${label.unit}`;
    const alarm = sample.flags & SampleFlag.AlarmRaised ? "  ALARM" : "";
    lines.push(`  ${label.name.padEnd(24)} ${value.padEnd(16)} ${time(sample.time)}${alarm}`);
  }
  if (!ids.length) lines.push("  (no sample yet)");
  lines.push("");
  const parts = state.parts;
  if (parts) {
    const log = parts.log.stats();
    lines.push(`  log     ${(log.fill * 100).toFixed(1)}% full, newest #${log.newestSeq}, acked #${log.acked}, ${log.unacked + log.pending} waiting`);
    const uplink = parts.agent?.status();
    const next = uplink?.nextSessionAt;
    lines.push(`  modem   ${parts.session.state.padEnd(10)} next transmission ${next === undefined ? "-" : `${time(next)} (in ${duration(next - state.now)})`}`);
    if (uplink) {
      lines.push(`  uplink  ${uplink.sessions} sessions (${uplink.failedSessions} failed), ${bytes(uplink.bytesSent)} sent in ${uplink.packetsSent} packets, ` +
        `modem on ${duration(uplink.modemOnMs)}`);
      lines.push(`          last: ${uplink.lastResult}`);
    }
  }
  lines.push(`  server  ${state.landing.samples} samples landed, ${state.landing.gaps} gaps -> ${state.dataDir}`);
  lines.push("", ...state.events.slice(-4).map((line) => `  ${line}`));
  return lines;
}

/** Redraws the view in place on a terminal. */
export class TerminalView {
  #drawn = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  draw(lines: readonly string[]): void {
    const width = this.out.columns ?? 100;
    let text = this.#drawn ? `\x1b[${this.#drawn}F` : "";
    for (const line of lines) text += `${line.slice(0, width - 1)}\x1b[K\n`;
    text += "\x1b[J";
    this.out.write(text);
    this.#drawn = lines.length;
  }
}
