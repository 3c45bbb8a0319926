/**
 * @tailor/engine: Tailor's pure decision engine. Validates, compiles, explains and summarizes
 * audience rule trees, buckets visitors, and decides the manifest. No I/O and no clock: the
 * caller passes `now`. Runs unchanged in Node, browsers and edge workers (no eval).
 */
export {
  PRESET_KEYS,
  type AttributeCatalog,
  type CustomAttributeReference,
  type DateTimeMatchOptions,
  type DateTimeRangeMatchOptions,
  type JsonMatchOptions,
  type Limits,
  type MatchCondition,
  type MatchOptions,
  type Matcher,
  type NumberMatchOptions,
  type NumberRangeMatchOptions,
  type PresetAttributeReference,
  type PresetKey,
  type RegexMatchOptions,
  type Rule,
  type RuleCombination,
  type SemverMatchOptions,
  type StringListMatchOptions,
  type StringMatchOptions,
  type ValidationIssue,
  type VisitorContext,
} from './types.js';
export { CONDITIONS, MATCH_CONDITIONS, conditionsForAttribute, isConditionAllowed, isMatchCondition, type ConditionInfo, type OptionsKind } from './conditions.js';
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_RULES,
  countRules,
  definitionDepth,
  validateDefinition,
  type ValidationResult,
} from './rule-tree-validate.js';
export { compileDefinition } from './rule-tree-compile.js';
export { explainDefinition, type Explanation } from './explain.js';
export { summarizeDefinition } from './summarize.js';
export { BUCKET_COUNT, HASH_VERSION, hashToBucket, murmur3, utf8Bytes } from './hashing.js';
export { pickVariantByTraffic, pickVariantIndexByTraffic, trafficSeed, variantSeed } from './bucketing.js';
export {
  LEFT_OUT,
  NO_VARIANT,
  decide,
  decideInto,
  type DecisionSnapshot,
  type ExperienceOutline,
  type Manifest,
  type SnapshotExperience,
  type SnapshotInput,
  type SnapshotVariant,
} from './decide.js';
export { buildSnapshot, type SnapshotBuildOptions } from './snapshot-build.js';
export { explainDecision, type DecisionExplanation } from './explain-decision.js';
export { parseSemver, compareSemver, type SemVer } from './semver.js';
export { MAX_PROJECT_REGEX_PROGRAM, regexProgramSize } from './regex/program-size.js';
export { WORK_PER_DECISION, decisionWork } from './decision-work.js';
