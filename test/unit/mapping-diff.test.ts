import type { estypes } from '@elastic/elasticsearch';
import { TWEETS_MAPPING } from '../../lib/store/mapping';
import { diffMapping } from '../../lib/store/mapping-diff';

type Props = Record<string, estypes.MappingProperty>;
const props = TWEETS_MAPPING.properties as Props;

describe('mapping diff (what start puts on a live index, and what needs a reindex)', () => {
  it('finds nothing to do when the live mapping is the code mapping (as Elasticsearch returns it)', () => {
    // Elasticsearch answers objects without `type: object` and keeps the parameters it was given.
    expect(diffMapping(props, structuredClone(props))).toEqual({ missing: {}, conflicts: [], added: [] });
  });

  it('lists new fields, nested ones as a properties tree put mapping merges', () => {
    const live = structuredClone(props);
    delete live.bucket;
    delete (live.stance as { properties: Props }).properties.method;
    delete live.source; // an index from before sources and languages
    delete live.lang;
    const diff = diffMapping(props, live);
    expect(diff.conflicts).toEqual([]);
    expect(diff.added.sort()).toEqual(['bucket', 'lang', 'source', 'stance.method']);
    expect(diff.missing).toEqual({
      bucket: { type: 'short' },
      stance: { properties: { method: { type: 'keyword' } } },
      source: props.source,
      lang: props.lang,
    });
  });

  it('names a changed type, a changed parameter and a field turned into an object as conflicts', () => {
    const live: Props = {
      ...structuredClone(props),
      hashtags: { type: 'text' },
      content: { type: 'text', index: false },
      metrics: { type: 'long' },
    };
    expect(diffMapping(props, live).conflicts.sort()).toEqual(['content', 'hashtags', 'metrics']);
  });

  it('leaves fields only the live index has alone (an additive change never removes)', () => {
    expect(diffMapping({ a: { type: 'keyword' } }, { a: { type: 'keyword' }, old: { type: 'long' } })).toEqual({
      missing: {},
      conflicts: [],
      added: [],
    });
  });
});
