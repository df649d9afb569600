import { tagHandler } from '../lib/http/tag-handler';

/** POST|GET /stance — detect the author's stance with TinyLlama and store it. */
export const handler = tagHandler('stance');
