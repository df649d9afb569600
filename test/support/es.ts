import { Client } from '@elastic/elasticsearch';
import { ES_URL } from './env';

export const rawClient = () => new Client({ node: ES_URL });

export async function deleteIndex(index: string): Promise<void> {
  await rawClient().indices.delete({ index, ignore_unavailable: true });
}
