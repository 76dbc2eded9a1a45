/**
 * The SDI-12 commands the recorder sends (v1.3 Table 5 plus the v1.4 high-volume ASCII and
 * identify-measurement commands). Each builder returns the command text, "!" included.
 */

/** A measurement family: M (service request), C (concurrent), V (verification), HA (v1.4 high-volume ASCII), R (continuous). */
export type MeasurementKind = "M" | "C" | "V" | "HA" | "R";

export interface MeasurementRequest {
  address: string;
  kind: MeasurementKind;
  /** M1..M9 / C1..C9 group or R0..R9 index; 0 (the default) is aM!, aC!, aR0!. */
  group?: number;
  /** Ask for a CRC on the data (aMC!, aCC!, aRC0!); HA data always carries one, V never does. */
  crc?: boolean;
}

const ADDRESS_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Every address a sensor may have, in scan order: 0-9 first, as most buses use only those. */
export const SDI12_ADDRESSES: readonly string[] = ADDRESS_CHARACTERS.split("");

export function isSdi12Address(text: string): boolean {
  return text.length === 1 && ADDRESS_CHARACTERS.indexOf(text) >= 0;
}

export function acknowledgeCommand(address: string): string {
  return `${address}!`;
}

export const ADDRESS_QUERY_COMMAND = "?!";

export function identifyCommand(address: string): string {
  return `${address}I!`;
}

export function changeAddressCommand(address: string, newAddress: string): string {
  return `${address}A${newAddress}!`;
}

/** Whether the data of this measurement carry a CRC. */
export function dataHasCrc(request: MeasurementRequest): boolean {
  if (request.kind === "HA") return true;
  if (request.kind === "V") return false;
  return request.crc === true;
}

/** The command letters after the address, e.g. "MC1", "C", "R0", "HA". */
function measurementBody(request: MeasurementRequest): string {
  const group = request.group ?? 0;
  const crc = dataHasCrc(request) && request.kind !== "HA" ? "C" : "";
  switch (request.kind) {
    case "R":
      return `R${crc}${group}`;
    case "V":
    case "HA":
      return request.kind;
    default:
      return `${request.kind}${crc}${group ? group : ""}`;
  }
}

export function measurementCommand(request: MeasurementRequest): string {
  return `${request.address}${measurementBody(request)}!`;
}

/** aD0! .. aD9!, and aD10! .. aD999! after a high-volume ASCII measurement. */
export function dataCommand(address: string, page: number): string {
  return `${address}D${page}!`;
}

/** v1.4 identify measurement: the aM!/aC!/aV!/aHA! header, without measuring. */
export function identifyMeasurementCommand(request: MeasurementRequest): string {
  return `${request.address}I${measurementBody(request)}!`;
}

/** v1.4 parameter metadata: "aIM_001!" asks what the first value of aM! is. */
export function metadataCommand(request: MeasurementRequest, parameter: number): string {
  return `${request.address}I${measurementBody(request)}_${String(parameter).padStart(3, "0")}!`;
}

/** Checks a measurement request; undefined when it can be sent. */
export function checkMeasurementRequest(request: MeasurementRequest): string | undefined {
  if (!isSdi12Address(request.address)) return `"${request.address}" is not an SDI-12 address`;
  const group = request.group ?? 0;
  if (Math.floor(group) !== group || group < 0 || group > 9) return `group must be 0..9, not ${group}`;
  if ((request.kind === "V" || request.kind === "HA") && group !== 0) return `${request.kind} has no groups`;
  if (request.kind === "V" && request.crc) return "aV! has no CRC form";
  return undefined;
}
