/** `npm run temporal:install`: make sure the pinned Temporal CLI exists (tests and `npm start` need it). */
import { ensureTemporalCli } from './cli';

ensureTemporalCli().then(
  (path) => console.log(`temporal CLI: ${path}`),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
