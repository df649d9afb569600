import { ES_URL } from './env';

/** Every suite talks to a real Elasticsearch; say how to get one instead of failing 100 times. */
export default async function globalSetup() {
  try {
    const res = await fetch(`${ES_URL}/_cluster/health`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  } catch (error) {
    throw new Error(
      `No Elasticsearch at ${ES_URL} (${(error as Error).message}). Run the tests with \`npm test\`, which starts one, ` +
        'or start one with `npm run es:start`.',
      { cause: error },
    );
  }
}
