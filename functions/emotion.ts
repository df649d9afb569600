import { tagHandler } from '../lib/http/tag-handler';

/** POST|GET /emotion — classify the emotion of tweets from the dataset and store it. */
export const handler = tagHandler('emotion');
