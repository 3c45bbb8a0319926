import { z } from 'zod';

/**
 * The audience definition grammar (spec §1.4.1) as a schema for the OpenAPI document and the
 * console's types. The server validates definitions with `@tailor/engine` (every problem, with
 * paths), not with this schema; it describes the normalized shape the API returns.
 */
export const PresetKey = z
  .enum(['COUNTRY', 'REGION', 'CITY', 'DEVICE_TYPE', 'OPERATING_SYSTEM', 'REFERRER', 'QUERY_PARAMETERS', 'DATE_AND_TIME'])
  .meta({ id: 'PresetKey' });

export const MatchCondition = z
  .enum([
    'STRING_EQUALS',
    'CONTAINS_SUBSTRING',
    'HAS_ANY_VALUE',
    'IS_TRUE',
    'IS_FALSE',
    'NUMBER_EQUAL_TO',
    'NUMBER_GREATER_THAN',
    'NUMBER_LESS_THAN',
    'JSON_MATCH',
    'BEFORE_TIME',
    'AFTER_TIME',
    'BETWEEN_TIME',
    'STRING_STARTS_WITH',
    'STRING_ENDS_WITH',
    'STRING_IN_LIST',
    'NUMBER_BETWEEN',
    'MATCHES_REGEX',
    'SEMVER_EQUALS',
    'SEMVER_GREATER_THAN',
    'SEMVER_LESS_THAN',
  ])
  .meta({ id: 'MatchCondition' });

export const PresetAttributeReference = z.object({ __type: z.literal('PresetAttributeReference'), ref: PresetKey });
export const CustomAttributeReference = z.object({
  __type: z.literal('CustomAttributeReference'),
  ref: z.string().describe('The uid of a custom attribute of the project (not its key)'),
});

// Keep in step with the engine's MatchOptions: the response schema filters out any field not listed here.
const caseSensitive = z.boolean().optional().describe('Default false: comparisons ignore case');
const timezone = z.string().optional().describe('IANA time zone, default "UTC"');
export const MatchOptions = z
  .discriminatedUnion('__type', [
    z.object({ __type: z.literal('StringMatchOptions'), value: z.string(), caseSensitive }),
    z.object({ __type: z.literal('StringListMatchOptions'), values: z.array(z.string()), caseSensitive }),
    z.object({ __type: z.literal('NumberMatchOptions'), value: z.number() }),
    z.object({ __type: z.literal('NumberRangeMatchOptions'), min: z.number(), max: z.number() }),
    z.object({ __type: z.literal('RegexMatchOptions'), pattern: z.string(), caseSensitive }),
    z.object({ __type: z.literal('SemverMatchOptions'), value: z.string() }),
    z.object({ __type: z.literal('JsonMatchOptions'), key: z.string(), value: z.string().optional(), caseSensitive }),
    z.object({ __type: z.literal('DateTimeMatchOptions'), value: z.string(), timezone }),
    z.object({ __type: z.literal('DateTimeRangeMatchOptions'), from: z.string(), to: z.string(), timezone }),
  ])
  .meta({ id: 'MatchOptions' });

export const Rule = z
  .object({
    __type: z.literal('Rule'),
    attribute: z.discriminatedUnion('__type', [PresetAttributeReference, CustomAttributeReference]),
    attributeMatchCondition: MatchCondition,
    attributeMatchOptions: MatchOptions.optional().describe('Omitted for conditions without options (HAS_ANY_VALUE, IS_TRUE, IS_FALSE)'),
    invertCondition: z.boolean(),
  })
  .meta({ id: 'Rule' });

export interface RuleCombinationShape {
  __type: 'RuleCombination';
  combinationType: 'AND' | 'OR';
  rules: Array<z.infer<typeof Rule> | RuleCombinationShape>;
}

export const RuleCombination: z.ZodType<RuleCombinationShape> = z
  .object({
    __type: z.literal('RuleCombination'),
    combinationType: z.enum(['AND', 'OR']).describe('AND = "Match All", OR = "Match Any"'),
    get rules() {
      return z.array(z.union([Rule, RuleCombination]));
    },
  })
  .meta({ id: 'RuleCombination', description: 'A group of rules; groups nest.' });

/**
 * A request's `definition`: accepted as any JSON so the engine can report every problem with its
 * path in one answer; documented as a RuleCombination.
 */
export const DefinitionInput = z.unknown().meta({ $ref: '#/components/schemas/RuleCombination' });

export type Rule = z.infer<typeof Rule>;
export type RuleCombination = RuleCombinationShape;
export type MatchOptions = z.infer<typeof MatchOptions>;
