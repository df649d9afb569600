import { Client } from '@elastic/elasticsearch';
import { ES_URL } from './env';

let client: Client | undefined;

/** One client per test file (each file has its own module registry), not one per call. */
export const rawClient = (): Client => (client ??= new Client({ node: ES_URL }));

/** Deletes a test's index and the leases, jobs and sources indices the app keeps beside it. */
export async function deleteIndex(index: string): Promise<void> {
  const indices = [index, `${index}-leases`, `${index}-jobs`, `${index}-sources`];
  await rawClient()
    .indices.delete({ index: indices, ignore_unavailable: true })
    .catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error; // deleted meanwhile by another cleanup: fine
    });
}
