/**
 * A driver that several users share (all the sensors on one bus): opened by the first user,
 * closed when the last one lets go, so that the bus is free when nothing reads it.
 */

/** A driver borrowed from its owner; `release` once, when the borrower is done. */
export interface Lease<Driver> {
  readonly driver: Driver;
  release(): void;
}

export class SharedDriver<Driver extends { close(): void }> {
  readonly #open: () => Driver;
  #driver: Driver | undefined;
  #users = 0;

  constructor(open: () => Driver) {
    this.#open = open;
  }

  /** The open driver, if anyone holds it. */
  get current(): Driver | undefined {
    return this.#driver;
  }

  /** Opens the driver if nobody holds it yet; throws what opening throws. */
  acquire(): Lease<Driver> {
    const driver = this.#driver ?? this.#open();
    this.#driver = driver;
    this.#users++;
    let released = false;
    return {
      driver,
      release: () => {
        if (released) return;
        released = true;
        if (--this.#users > 0) return;
        this.#driver = undefined;
        driver.close();
      },
    };
  }
}
