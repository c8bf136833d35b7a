import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, rejected: number): void;
  stop(): void;
}

/**
 * Rows, rate and ETA on stderr: a bar on a terminal, one plain line per chunk otherwise (logs and
 * CI). The rate counts this run's rows only, so a resumed run does not look faster than it is.
 */
export function startProgress(total: number, alreadyDone: number): Progress {
  const started = Date.now();
  const rate = (done: number) => {
    const elapsed = (Date.now() - started) / 1000;
    return elapsed > 0 ? (done - alreadyDone) / elapsed : 0;
  };
  const eta = (done: number) => {
    const r = rate(done);
    return r > 0 ? Math.round((total - done) / r) : null;
  };
  if (process.stderr.isTTY === true) {
    const bar = new SingleBar({
      stream: process.stderr,
      format: '{bar} {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta_formatted} | {rejected} rejected',
      hideCursor: true,
      etaBuffer: 20,
    });
    bar.start(total, alreadyDone, { speed: '0', rejected: 0 });
    return {
      update: (done, rejected) => bar.update(done, { speed: rate(done).toFixed(0), rejected }),
      stop: () => bar.stop(),
    };
  }
  return {
    update: (done, rejected) => {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      const left = eta(done);
      process.stderr.write(`rows ${done}/${total} (${percent}%) | ${rate(done).toFixed(0)} rows/s | ETA ${left === null ? '?' : `${left} s`} | ${rejected} rejected\n`);
    },
    stop: () => undefined,
  };
}
