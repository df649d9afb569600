/** Stops `npm start` with a message naming the variable when the environment is invalid. */
import { ConfigError, loadConfig } from '../lib/config';

try {
  loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
