// Runs before `npm test` (required by ensure-install.cjs): the browser tests (test/browser/) drive
// Debian's Chromium at /usr/bin/chromium through playwright-core, which downloads no browser of its
// own. In CI (CI=true, as root) a missing Chromium is installed with apt-get; anywhere else this
// only says what to run, and the browser tests skip themselves (in CI they would fail instead).
// Plain CommonJS with no dependencies, like ensure-install.cjs.
const { execSync } = require('node:child_process');
const { existsSync } = require('node:fs');

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';

if (!existsSync(CHROMIUM)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.env.CI === 'true' && root) {
    console.log(`Installing Chromium for the browser tests: ${INSTALL}`);
    execSync(INSTALL, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    console.log(`The browser tests will be skipped: ${CHROMIUM} is missing. Install it with: ${root ? INSTALL : `sudo sh -c '${INSTALL}'`}`);
  }
}
