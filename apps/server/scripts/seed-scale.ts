// `npm run seed:scale -- --profile small|medium|large [--database-url URL | --data-dir DIR]`
// Bulk-loads a generated distributor world at COPY speed (see docs/scale.md). Re-running resumes.
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { openCopyTarget, seedScale } from './scale/load.ts';
import { isScaleProfileName, scaleProfiles } from './scale/profiles.ts';
import { scaleBenchPassword, scaleOperatorEmail } from './scale/world.ts';

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'small' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    connections: { type: 'string', default: '2' },
  },
});
const profileName = values.profile;
if (!isScaleProfileName(profileName)) {
  process.stderr.write(`Unknown profile "${profileName}"; one of: ${Object.keys(scaleProfiles).join(', ')}\n`);
  process.exit(2);
}
const profile = scaleProfiles[profileName];
const databaseUrl = values['database-url'];
const dataDir = values['data-dir'] ?? `./data/scale-${profile.name}`;
const target = await openCopyTarget(databaseUrl === undefined ? { dataDir } : { databaseUrl, connections: Number(values.connections) });

const bar = new cliProgress.SingleBar(
  {
    stream: process.stderr,
    format: 'seed {profile} |{bar}| {percentage}% | {value}/{total} rows | {speed} rows/s | eta {eta_formatted} | {dataset}',
    noTTYOutput: true,
    notTTYSchedule: 5000,
    etaBuffer: 50,
  },
  cliProgress.Presets.shades_classic,
);
const started = performance.now();
let loaded = 0;
try {
  const result = await seedScale(target, profile, {
    onStart: (total) => bar.start(total, 0, { profile: profile.name, dataset: '', speed: '0' }),
    onProgress: (step) => {
      loaded += step.rows;
      const seconds = (performance.now() - started) / 1000;
      const label = `${step.dataset}${step.skipped ? ' (already loaded)' : ''}`;
      bar.increment(step.estimatedRows, { dataset: label, speed: Math.round(loaded / Math.max(seconds, 0.001)).toString() });
    },
  });
  bar.stop();
  process.stdout.write(
    `Seeded profile "${result.profile}" into ${databaseUrl === undefined ? dataDir : 'PostgreSQL'}: ${result.rowsLoaded} rows in ${result.chunksLoaded} chunks ` +
      `(${result.chunksSkipped} already loaded) in ${result.seconds.toFixed(1)} s.\n` +
      `Bench accounts sign in with "${scaleBenchPassword}": ${scaleOperatorEmail}, admin@reseller-1.scale.example (largest reseller), ` +
      `admin@provider-1.scale.example.\n`,
  );
} finally {
  bar.stop();
  await target.close();
}

