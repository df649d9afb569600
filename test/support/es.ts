import { Client } from '@elastic/elasticsearch';
import { ES_URL } from './env';

let client: Client | undefined;

/** One client per test file (each file has its own module registry), not one per call. */
export const rawClient = (): Client => (client ??= new Client({ node: ES_URL }));

/**
 * Deletes a test's index (the alias's generations `<index>-000001`..., or a concrete index of that name) and the
 * leases, jobs and sources indices the app keeps beside it. An alias name is skipped by ignore_unavailable.
 */
export async function deleteIndex(index: string): Promise<void> {
  const indices = [index, `${index}-0*`, `${index}-leases`, `${index}-jobs`, `${index}-sources`];
  await rawClient()
    .indices.delete({ index: indices, ignore_unavailable: true })
    .catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error; // deleted meanwhile by another cleanup: fine
    });
}
