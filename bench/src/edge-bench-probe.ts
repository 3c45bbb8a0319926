/** The audience the edge benchmark edits: `<probe attribute> equals <value>`. */
export function probeDefinition(attributeUid: string, value: string): Record<string, unknown> {
  return {
    __type: 'RuleCombination',
    combinationType: 'AND',
    rules: [
      {
        __type: 'Rule',
        attribute: { __type: 'CustomAttributeReference', ref: attributeUid },
        attributeMatchCondition: 'STRING_EQUALS',
        attributeMatchOptions: { __type: 'StringMatchOptions', value },
        invertCondition: false,
      },
    ],
  };
}
