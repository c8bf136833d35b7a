import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const base = { DATA_DIR: '/nonexistent', SECRET_KEY: 'a'.repeat(64) };
const postgres = { ...base, DATABASE_URL: 'postgres://tierlink@127.0.0.1:5432/tierlink' };

describe('configuration: process role and health port', () => {
  it('PROCESS_ROLE defaults to all; api and worker are accepted with PostgreSQL', () => {
    expect(loadConfig(base).role).toBe('all');
    expect(loadConfig({ ...postgres, PROCESS_ROLE: 'api' }).role).toBe('api');
    expect(loadConfig({ ...postgres, PROCESS_ROLE: 'worker' }).role).toBe('worker');
  });

  it('PROCESS_ROLE api or worker without DATABASE_URL is refused with a configuration error naming both', () => {
    for (const role of ['api', 'worker']) {
      expect(() => loadConfig({ ...base, PROCESS_ROLE: role })).toThrow(/^Invalid configuration:\n {2}PROCESS_ROLE: "(api|worker)" needs PostgreSQL \(DATABASE_URL\)/);
    }
    expect(() => loadConfig({ ...postgres, PROCESS_ROLE: 'jobs' })).toThrow(/Invalid configuration:\n {2}PROCESS_ROLE/);
  });

  it('HEALTH_PORT: unset is none, 0 a free port, a port number as given; anything else refused', () => {
    expect(loadConfig(base).healthPort).toBeNull();
    expect(loadConfig({ ...base, HEALTH_PORT: '0' }).healthPort).toBe(0);
    expect(loadConfig({ ...base, HEALTH_PORT: '9090' }).healthPort).toBe(9090);
    for (const bad of ['-1', '65536', 'http', '1.5']) expect(() => loadConfig({ ...base, HEALTH_PORT: bad }), bad).toThrow(/HEALTH_PORT/);
  });
});
