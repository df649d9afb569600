import type { estypes } from '@elastic/elasticsearch';

type Properties = Record<string, estypes.MappingProperty>;

export interface MappingDiff {
  /** Fields the live index lacks, as a `properties` tree put mapping accepts (objects carry only what is new). */
  missing: Properties;
  /** Dotted paths whose definition differs from the live one: put mapping cannot change them, a reindex can. */
  conflicts: string[];
  /** Dotted paths of the missing fields, for the log. */
  added: string[];
}

const childrenOf = (p: estypes.MappingProperty | undefined): Properties | undefined =>
  (p as { properties?: Properties } | undefined)?.properties;

/** The field's own parameters, without its sub-fields; an object's implicit `type: object` made explicit. */
function ownParameters(p: estypes.MappingProperty): Record<string, unknown> {
  const { properties, ...own } = p as { properties?: Properties } & Record<string, unknown>;
  return { type: properties ? 'object' : undefined, ...own };
}

/** Same definition, parameter by parameter: the live mapping leaves out defaults it was not given, and so do we. */
function sameField(wanted: estypes.MappingProperty, live: estypes.MappingProperty): boolean {
  const a = ownParameters(wanted);
  const b = ownParameters(live);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/**
 * What the code's mapping adds to the live one, and where the two disagree. Only new fields can be put on a live
 * index; a changed type or parameter (or a field turned into an object) needs a new index (npm run reindex).
 */
export function diffMapping(wanted: Properties, live: Properties | undefined, prefix = ''): MappingDiff {
  const diff: MappingDiff = { missing: {}, conflicts: [], added: [] };
  for (const [name, field] of Object.entries(wanted)) {
    const path = prefix + name;
    const current = live?.[name];
    if (!current) {
      diff.missing[name] = field;
      diff.added.push(path);
      continue;
    }
    if (!sameField(field, current)) {
      diff.conflicts.push(path);
      continue;
    }
    const wantedChildren = childrenOf(field);
    if (!wantedChildren) continue;
    const inner = diffMapping(wantedChildren, childrenOf(current), `${path}.`);
    diff.conflicts.push(...inner.conflicts);
    diff.added.push(...inner.added);
    if (Object.keys(inner.missing).length) diff.missing[name] = { properties: inner.missing };
  }
  return diff;
}
