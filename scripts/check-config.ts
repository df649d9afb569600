/** Stops `npm start` with a message naming the variable when the environment (or .env) is invalid. */
import { ConfigError, loadConfig } from '../lib/config';
import { cli } from './lib/cli';

cli({
  usage:
    'usage: npm exec tsx scripts/check-config.ts\n  Checks the variables of the environment and .env (see .env.example); exit 1 names every bad one.',
});
try {
  loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
