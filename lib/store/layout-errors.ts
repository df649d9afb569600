import { AppError } from '../errors';

/** The code's mapping changes a field of the live index in a way put mapping cannot: a reindex must migrate it. */
export class MappingConflictError extends AppError {
  constructor(index: string, fields: string[]) {
    super(
      503,
      'mapping_conflict',
      `The index ${index} maps ${fields.join(', ')} differently from this version of the code; ` +
        'a new field is added in place, a changed one needs a reindex.',
      {
        dependency: 'elasticsearch',
        index,
        fields,
        hint: 'Run `npm run reindex`: it copies the tweets into a new index with the new mapping and swaps the alias.',
      },
    );
  }
}
