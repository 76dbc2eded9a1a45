/**
 * Moddable's nRF52 `sleep` module (build/devices/nrf52/modules/sleep/sleep.js), which neither
 * the SDK's typings nor @moddable/typings declare. Only what the nRF52 host uses.
 */
declare module "sleep" {
  export const ResetReason: {
    readonly RESETPIN: number;
    readonly DOG: number;
    readonly SREQ: number;
    readonly LOCKUP: number;
    readonly GPIO: number;
    readonly LPCOMP: number;
    readonly DIF: number;
    readonly NFC: number;
  };
  const Sleep: {
    getRetainedValue(index: number): number;
    setRetainedValue(index: number, value: number): void;
    /** With `ms`: System ON sleep with an RTC wake; without: System OFF. Both reboot on wake. Release builds only. */
    deep(ms?: number): void;
    /** RESETREAS bits of this boot. */
    readonly resetReason: number;
  };
  export { Sleep as default, Sleep };
}
