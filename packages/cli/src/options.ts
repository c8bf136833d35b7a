import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number in [min, max]; anything else is a usage error (exit 2). */
export function integer(min: number, max: number): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`must be between ${min} and ${max}.`);
    return n;
  };
}

/** A parser for a number of seconds in [min, max], fractions allowed. */
export function seconds(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number.`);
    if (n < min || n > max) throw new InvalidArgumentError(`must be between ${min} and ${max} seconds.`);
    return n;
  };
}
