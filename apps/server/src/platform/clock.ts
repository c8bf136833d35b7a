export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand (expiry, sessions, grants). */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: Date = new Date()) {
    this.#now = start.getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
  set(date: Date): void {
    this.#now = date.getTime();
  }
}

export const days = (n: number): number => n * 24 * 60 * 60 * 1000;
export const hours = (n: number): number => n * 60 * 60 * 1000;
export const minutes = (n: number): number => n * 60 * 1000;
