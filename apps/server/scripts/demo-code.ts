// `npm run demo:code`: the current MFA code of the demo partner and operator accounts, for a
// newcomer without an authenticator app at hand. Demo data only.
import { Secret, TOTP } from 'otpauth';
import { demoTotpSeed } from '../src/demo/seed.ts';

const totp = new TOTP({ secret: Secret.fromBase32(demoTotpSeed), digits: 6, period: 30 });
const left = 30 - (Math.floor(Date.now() / 1000) % 30);
process.stdout.write(`${totp.generate()}  (valid for ${left} more seconds; each code signs in once)\n`);
