// fast-check generators of valid definitions and of visitors, over a small vocabulary so that
// conditions match often enough for the properties to mean something.
import fc from 'fast-check';
import {
  CONDITIONS,
  conditionsForAttribute,
  type AttributeCatalog,
  type CustomAttributeReference,
  type MatchCondition,
  type MatchOptions,
  type PresetAttributeReference,
  type Rule,
  type RuleCombination,
  type VisitorContext,
} from '../src/index.js';

export const CATALOG: AttributeCatalog = {
  customAttributes: new Map([
    ['000000000000000000000001', { key: 'a', name: 'A' }],
    ['000000000000000000000002', { key: 'b', name: 'B' }],
    ['000000000000000000000003', { key: 'c' }],
  ]),
};

const REFS: Array<PresetAttributeReference | CustomAttributeReference> = [
  ...[...CATALOG.customAttributes.keys()].map((ref) => ({ __type: 'CustomAttributeReference' as const, ref })),
  ...(['COUNTRY', 'REFERRER', 'QUERY_PARAMETERS', 'DATE_AND_TIME'] as const).map((ref) => ({ __type: 'PresetAttributeReference' as const, ref })),
];

// Non-ASCII words check the lower-casing shortcuts: U+0130 (İ) lower-cases to two code units, U+212A (Kelvin) to k.
const WORDS = ['gold', 'GO', 'abc', '42', 'true', 'x y', 'https://', 'İ', 'gİ', 'i̇', '\u212a', 'STRAßE'];
const PATTERNS = ['^go', 'ld$', 'o{1,2}', '^[0-9]+$', '^(gold|abc)$', '\\d', 'a|b', '^\\s*42\\s*$', '(a+)+$', '^[^x]*$', '.', 'G.L?D'];
const SEMVERS = ['1.2.3', '2.0.0', '2.0.0-rc.1', '0.0.1', '2.0.0-rc.1.5'];
const INSTANTS = ['2024-05-01', '2024-05-01T10:00:00Z', '2024-05-02T00:00:00.000Z', '2025-11-28T12:00:00Z', '2026-01-01'];
const CLOCKS = ['00:00', '09:00', '12:00:00', '17:30', '23:59'];

const caseSensitive = fc.option(fc.boolean(), { nil: undefined });
const withCs = <T extends object>(o: T, cs: boolean | undefined): T => (cs === undefined ? o : { ...o, caseSensitive: cs });

function optionsFor(condition: MatchCondition, preset: boolean): fc.Arbitrary<MatchOptions | undefined> {
  switch (CONDITIONS[condition].options) {
    case 'none':
      return fc.constant(undefined);
    case 'string':
      return fc.tuple(fc.constantFrom(...WORDS), caseSensitive).map(([value, cs]) => withCs({ __type: 'StringMatchOptions' as const, value }, cs));
    case 'stringList':
      return fc.tuple(fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }), caseSensitive).map(([values, cs]) => withCs({ __type: 'StringListMatchOptions' as const, values }, cs));
    case 'number':
      return fc.constantFrom(-5, 0, 7, 40, 42, 42.5).map((value) => ({ __type: 'NumberMatchOptions' as const, value }));
    case 'numberRange':
      return fc.tuple(fc.constantFrom(-5, 0, 40, 42), fc.constantFrom(0, 42, 100)).filter(([a, b]) => a <= b).map(([min, max]) => ({ __type: 'NumberRangeMatchOptions' as const, min, max }));
    case 'regex':
      return fc.tuple(fc.constantFrom(...PATTERNS), caseSensitive).map(([pattern, cs]) => withCs({ __type: 'RegexMatchOptions' as const, pattern }, cs));
    case 'semver':
      return fc.constantFrom(...SEMVERS).map((value) => ({ __type: 'SemverMatchOptions' as const, value }));
    case 'json':
      return fc
        .tuple(fc.constantFrom('utm', 'q'), fc.option(fc.constantFrom('ads', 'ADS', 'a b'), { nil: undefined }), caseSensitive)
        .map(([key, value, cs]) => withCs(value === undefined ? { __type: 'JsonMatchOptions' as const, key } : { __type: 'JsonMatchOptions' as const, key, value }, cs));
    case 'dateTime':
      return fc.constantFrom(...(preset ? [...INSTANTS, ...CLOCKS] : INSTANTS)).map((value) => ({ __type: 'DateTimeMatchOptions' as const, value }));
    case 'dateTimeRange': {
      const instants = fc.tuple(fc.nat(INSTANTS.length - 1), fc.nat(INSTANTS.length - 1)).filter(([i, j]) => i < j).map(([i, j]) => [INSTANTS[i], INSTANTS[j]] as [string, string]);
      const clocks = fc.tuple(fc.constantFrom(...CLOCKS), fc.constantFrom(...CLOCKS));
      return (preset ? fc.oneof(instants, clocks) : instants).map(([from, to]) => ({ __type: 'DateTimeRangeMatchOptions' as const, from, to }));
    }
  }
}

/** A valid rule over the catalog and presets. */
export const ruleArb: fc.Arbitrary<Rule> = fc
  .constantFrom(...REFS)
  .chain((attribute) => fc.tuple(fc.constant(attribute), fc.constantFrom(...conditionsForAttribute(attribute))))
  .chain(([attribute, condition]) =>
    fc.tuple(optionsFor(condition, attribute.__type === 'PresetAttributeReference'), fc.boolean()).map(([options, invertCondition]): Rule =>
      options === undefined
        ? { __type: 'Rule', attribute, attributeMatchCondition: condition, invertCondition }
        : { __type: 'Rule', attribute, attributeMatchCondition: condition, attributeMatchOptions: options, invertCondition },
    ),
  );

const tree = fc.letrec<{ node: Rule | RuleCombination; group: RuleCombination }>((tie) => ({
  node: fc.oneof({ maxDepth: 3, depthIdentifier: 'tree' }, ruleArb, tie('group')),
  group: fc.record({
    __type: fc.constant('RuleCombination' as const),
    combinationType: fc.constantFrom('AND' as const, 'OR' as const),
    rules: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
  }),
}));

/** A valid definition (a group nested at most 4 deep, up to 81 rules). */
export const definitionArb: fc.Arbitrary<RuleCombination> = tree.group;

const VALUES = ['gold', 'Gold', 'GOLD', 'golden', 'abc', 'x y', '42', ' 42 ', '4e1', 'true', 'False', '1.2.3', 'v2.0.0-rc.1', '2.0.0', '2.0.0-rc.1.5', '2024-05-01', '2024-05-01T10:00:00Z', '', 'İ', 'gİ', 'Gi̇', '\u212a', 'STRASSE', 'straße'];
const attributeValue = fc.oneof(fc.constantFrom(...VALUES), fc.constantFrom(-5, 0, 7, 40, 42, 42.5, 100, Date.UTC(2024, 4, 1, 11)), fc.boolean());
const NOWS = ['2024-05-01T09:00:00Z', '2024-05-01T23:30:00Z', '2025-11-28T12:00:00Z', '2024-05-01T00:00:00Z'].map((s) => Date.parse(s));

/** A visitor with some attributes and presets missing. */
export const visitorArb: fc.Arbitrary<VisitorContext> = fc.record({
  attributes: fc.record({ a: attributeValue, b: attributeValue, c: attributeValue }, { requiredKeys: [] }),
  presets: fc.record(
    {
      COUNTRY: fc.constantFrom('US', 'us', 'gold', ''),
      REFERRER: fc.constantFrom('https://google.com/', 'HTTPS://gold.example', 'abc'),
      PAGE_URL: fc.constantFrom('https://s.example/?utm=ads', '/p?UTM=Ads&q=a+b', 'https://s.example/', 'https://s.example/?q=a%20b#x', '?utm', 'https://s.example/#?utm=ads'),
    },
    { requiredKeys: [] },
  ),
  now: fc.constantFrom(...NOWS),
});
