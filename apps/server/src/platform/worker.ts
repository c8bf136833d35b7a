import type { Logger } from './logger.ts';

export interface PeriodicTask {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/**
 * Runs periodic tasks in this process, one run of a task at a time. `wake(name)` runs a task soon
 * (e.g. the outbox relay right after a commit). `stop()` waits for running tasks to finish.
 */
export function startWorker(tasks: PeriodicTask[], logger: Logger) {
  let stopped = false;
  const running = new Map<string, Promise<void>>();
  const timers = new Map<string, NodeJS.Timeout>();
  // Woken while running: run again right after, so nothing committed meanwhile waits a full period.
  const rerun = new Set<string>();

  const schedule = (task: PeriodicTask, delay: number) => {
    if (stopped) return;
    clearTimeout(timers.get(task.name));
    timers.set(task.name, setTimeout(() => void runOnce(task), delay));
  };

  const runOnce = async (task: PeriodicTask): Promise<void> => {
    const current = running.get(task.name);
    if (current !== undefined) return current;
    const run = (async () => {
      try {
        await task.run();
      } catch (error) {
        logger.error({ err: error, task: task.name }, 'background task failed');
      } finally {
        running.delete(task.name);
        schedule(task, rerun.delete(task.name) ? 0 : task.everyMs);
      }
    })();
    running.set(task.name, run);
    return run;
  };

  for (const task of tasks) schedule(task, 0);

  return {
    wake(name: string): void {
      const task = tasks.find((t) => t.name === name);
      if (task === undefined) return;
      if (running.has(name)) rerun.add(name);
      else schedule(task, 0);
    },
    async stop(): Promise<void> {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.all(running.values());
    },
  };
}
