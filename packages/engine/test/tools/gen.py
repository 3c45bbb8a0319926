import json, sys, datetime
sys.path.insert(0, __import__('os').path.dirname(__file__))
from mm import murmur3, bucket, pick

U = lambda n: '66702e03d84509d0106bec%02d' % n
CATALOG = {U(1): {'key': 'age', 'name': 'Age'}, U(2): {'key': 'plan', 'name': 'Plan'}, U(3): {'key': 'vip', 'name': 'VIP'},
           U(4): {'key': 'appVersion', 'name': 'App version'}, U(5): {'key': 'signupDate', 'name': 'Signup date'},
           U(6): {'key': 'score', 'name': 'Score'}, U(7): {'key': 'email', 'name': 'Email'}, U(8): {'key': 'constructor'}}
KEY2UID = {v['key']: k for k, v in CATALOG.items()}
PRESETS = ['COUNTRY','REGION','CITY','DEVICE_TYPE','OPERATING_SYSTEM','REFERRER','QUERY_PARAMETERS','DATE_AND_TIME']
OT = {'STRING_EQUALS':'StringMatchOptions','CONTAINS_SUBSTRING':'StringMatchOptions','STRING_STARTS_WITH':'StringMatchOptions','STRING_ENDS_WITH':'StringMatchOptions',
      'STRING_IN_LIST':'StringListMatchOptions','NUMBER_EQUAL_TO':'NumberMatchOptions','NUMBER_GREATER_THAN':'NumberMatchOptions','NUMBER_LESS_THAN':'NumberMatchOptions',
      'NUMBER_BETWEEN':'NumberRangeMatchOptions','MATCHES_REGEX':'RegexMatchOptions','SEMVER_EQUALS':'SemverMatchOptions','SEMVER_GREATER_THAN':'SemverMatchOptions',
      'SEMVER_LESS_THAN':'SemverMatchOptions','JSON_MATCH':'JsonMatchOptions','BEFORE_TIME':'DateTimeMatchOptions','AFTER_TIME':'DateTimeMatchOptions','BETWEEN_TIME':'DateTimeRangeMatchOptions'}

def ref(a):
    if a in PRESETS: return {'__type': 'PresetAttributeReference', 'ref': a}
    return {'__type': 'CustomAttributeReference', 'ref': KEY2UID[a]}
def R(a, cond, opts=None, inv=False, **kw):
    r = {'__type': 'Rule', 'attribute': ref(a), 'attributeMatchCondition': cond}
    if opts is None and kw: opts = kw
    if opts is not None:
        o = {'__type': OT[cond]}; o.update(opts); r['attributeMatchOptions'] = o
    r['invertCondition'] = inv
    return r
def G(t, *rules): return {'__type': 'RuleCombination', 'combinationType': t, 'rules': list(rules)}
AND = lambda *r: G('AND', *r)
OR = lambda *r: G('OR', *r)
def ms(s):
    d = datetime.datetime.fromisoformat(s.replace('Z', '+00:00'))
    return int(d.timestamp() * 1000)
NOW = ms('2025-11-28T12:00:00Z')
def V(attrs=None, now=NOW, **presets): return {'attributes': attrs or {}, 'presets': presets, 'now': now}

E = []
def ev(name, rule_or_def, visitor, expected):
    d = rule_or_def if rule_or_def['__type'] == 'RuleCombination' else AND(rule_or_def)
    E.append([name, d, visitor, expected])

# --- STRING_EQUALS
eq = lambda v, **k: R('COUNTRY', 'STRING_EQUALS', value=v, **k)
ev('STRING_EQUALS matches the same text', eq('US'), V(COUNTRY='US'), True)
ev('STRING_EQUALS ignores case by default', eq('US'), V(COUNTRY='us'), True)
ev('STRING_EQUALS ignores case in mixed case', eq('US'), V(COUNTRY='Us'), True)
ev('STRING_EQUALS with caseSensitive rejects other case', R('COUNTRY','STRING_EQUALS',{'value':'US','caseSensitive':True}), V(COUNTRY='us'), False)
ev('STRING_EQUALS with caseSensitive accepts same case', R('COUNTRY','STRING_EQUALS',{'value':'US','caseSensitive':True}), V(COUNTRY='US'), True)
ev('STRING_EQUALS rejects a longer value', eq('US'), V(COUNTRY='USA'), False)
ev('STRING_EQUALS is false on a missing attribute', eq('US'), V(), False)
ev('inverted STRING_EQUALS is true on a missing attribute', eq('US', inv=True), V(), True)
ev('STRING_EQUALS treats an empty string as missing', eq('US'), V(COUNTRY=''), False)
ev('inverted STRING_EQUALS is true on an empty string', eq('US', inv=True), V(COUNTRY=''), True)
ev('inverted STRING_EQUALS is true on another value', eq('US', inv=True), V(COUNTRY='CA'), True)
ev('inverted STRING_EQUALS is false on the value', eq('US', inv=True), V(COUNTRY='US'), False)
ev('STRING_EQUALS does not trim spaces', eq('US'), V(COUNTRY=' US'), False)
ev('STRING_EQUALS folds non-ASCII case', R('CITY','STRING_EQUALS',value='ZÜRICH'), V(CITY='Zürich'), True)
ev('STRING_EQUALS on a custom attribute ignores case', R('plan','STRING_EQUALS',value='gold'), V({'plan':'Gold'}), True)
ev('STRING_EQUALS compares a number as its text', R('plan','STRING_EQUALS',value='42'), V({'plan':42}), True)
ev('STRING_EQUALS compares a boolean as "true"', R('plan','STRING_EQUALS',value='true'), V({'plan':True}), True)
ev('STRING_EQUALS on DEVICE_TYPE ignores case', R('DEVICE_TYPE','STRING_EQUALS',value='mobile'), V(DEVICE_TYPE='MOBILE'), True)
ev('STRING_EQUALS on REGION', R('REGION','STRING_EQUALS',value='California'), V(REGION='california'), True)
ev('STRING_EQUALS on OPERATING_SYSTEM rejects another OS', R('OPERATING_SYSTEM','STRING_EQUALS',value='iOS'), V(OPERATING_SYSTEM='Android'), False)
ev('an attribute named like an Object.prototype member is missing when not sent', R('constructor','HAS_ANY_VALUE'), V(), False)
ev('an attribute named like an Object.prototype member is read when sent', R('constructor','STRING_EQUALS',value='x'), V({'constructor':'X'}), True)
ev('a rule reads the attribute by key, not by uid', R('plan','STRING_EQUALS',value='gold'), V({KEY2UID['plan']:'gold'}), False)

# --- CONTAINS / STARTS / ENDS
ev('CONTAINS_SUBSTRING finds a domain in the referrer', R('REFERRER','CONTAINS_SUBSTRING',value='google.'), V(REFERRER='https://www.google.com/search?q=x'), True)
ev('CONTAINS_SUBSTRING ignores case', R('REFERRER','CONTAINS_SUBSTRING',value='google.'), V(REFERRER='https://WWW.GOOGLE.COM/'), True)
ev('CONTAINS_SUBSTRING with caseSensitive rejects other case', R('REFERRER','CONTAINS_SUBSTRING',{'value':'google.','caseSensitive':True}), V(REFERRER='https://WWW.GOOGLE.COM/'), False)
ev('CONTAINS_SUBSTRING is false without a referrer', R('REFERRER','CONTAINS_SUBSTRING',value='google.'), V(), False)
ev('inverted CONTAINS_SUBSTRING is true without a referrer', R('REFERRER','CONTAINS_SUBSTRING',value='google.',inv=True), V(), True)
ev('CONTAINS_SUBSTRING rejects text without the substring', R('REFERRER','CONTAINS_SUBSTRING',value='bing.'), V(REFERRER='https://www.google.com/'), False)
ev('CONTAINS_SUBSTRING on a custom attribute', R('email','CONTAINS_SUBSTRING',value='example.com'), V({'email':'ann@Example.com'}), True)
ev('CONTAINS_SUBSTRING on a number reads its digits', R('score','CONTAINS_SUBSTRING',value='234'), V({'score':12345}), True)
ev('STRING_ENDS_WITH matches an email domain', R('email','STRING_ENDS_WITH',value='@example.com'), V({'email':'ann@example.com'}), True)
ev('STRING_ENDS_WITH ignores case', R('email','STRING_ENDS_WITH',value='@EXAMPLE.COM'), V({'email':'ann@example.com'}), True)
ev('STRING_ENDS_WITH with caseSensitive rejects other case', R('email','STRING_ENDS_WITH',{'value':'@EXAMPLE.COM','caseSensitive':True}), V({'email':'ann@example.com'}), False)
ev('STRING_ENDS_WITH rejects another ending', R('email','STRING_ENDS_WITH',value='@example.org'), V({'email':'ann@example.com'}), False)
# Lower-casing shortcuts (values of another length, a shorter value) must agree with toLowerCase,
# whose only change of length is U+0130 (İ → i + U+0307); U+212A (Kelvin sign) folds to ASCII k.
ev('STRING_EQUALS folds the Kelvin sign to k (custom attribute)', R('plan','STRING_EQUALS',value='k'), V({'plan':'\u212a'}), True)
ev('STRING_EQUALS folds the Kelvin sign to k (preset)', R('CITY','STRING_EQUALS',value='k'), V(CITY='\u212a'), True)
ev('STRING_EQUALS: a value one letter longer is not equal', R('plan','STRING_EQUALS',value='gold'), V({'plan':'GOLDS'}), False)
ev('STRING_EQUALS: dotted capital I equals i + U+0307', R('plan','STRING_EQUALS',value='i\u0307'), V({'plan':'\u0130'}), True)
ev('STRING_EQUALS: dotted capital I is not a plain i', R('plan','STRING_EQUALS',value='i'), V({'plan':'\u0130'}), False)
ev('CONTAINS_SUBSTRING finds ai in a + dotted capital I', R('plan','CONTAINS_SUBSTRING',value='ai'), V({'plan':'a\u0130'}), True)
ev('CONTAINS_SUBSTRING: a shorter value does not contain the constant', R('plan','CONTAINS_SUBSTRING',value='gold'), V({'plan':'GOL'}), False)
ev('STRING_STARTS_WITH on a value shorter than the prefix is false', R('CITY','STRING_STARTS_WITH',value='paris'), V(CITY='Par'), False)
ev('inverted STRING_EQUALS on a capitalized value of the same length', R('plan','STRING_EQUALS',value='gold',inv=True), V({'plan':'Gold'}), False)
ev('STRING_STARTS_WITH matches a scheme', R('REFERRER','STRING_STARTS_WITH',value='https://'), V(REFERRER='https://a.example/'), True)
ev('STRING_STARTS_WITH rejects a different prefix', R('REFERRER','STRING_STARTS_WITH',value='http://'), V(REFERRER='https://a.example/'), False)
ev('STRING_STARTS_WITH ignores case', R('OPERATING_SYSTEM','STRING_STARTS_WITH',value='mac'), V(OPERATING_SYSTEM='MacOS'), True)
ev('STRING_STARTS_WITH is false on a missing attribute', R('OPERATING_SYSTEM','STRING_STARTS_WITH',value='mac'), V(), False)
ev('inverted STRING_STARTS_WITH is true on another prefix', R('OPERATING_SYSTEM','STRING_STARTS_WITH',value='mac',inv=True), V(OPERATING_SYSTEM='Windows'), True)

# --- STRING_IN_LIST
lst = lambda vals, **k: R('COUNTRY','STRING_IN_LIST',{'values':vals}, **k)
ev('STRING_IN_LIST matches any listed value ignoring case', lst(['US','DE','FR']), V(COUNTRY='de'), True)
ev('STRING_IN_LIST rejects an unlisted value', lst(['US','DE','FR']), V(COUNTRY='IT'), False)
ev('STRING_IN_LIST with caseSensitive rejects other case', R('COUNTRY','STRING_IN_LIST',{'values':['DE'],'caseSensitive':True}), V(COUNTRY='de'), False)
ev('STRING_IN_LIST with caseSensitive accepts same case', R('COUNTRY','STRING_IN_LIST',{'values':['DE'],'caseSensitive':True}), V(COUNTRY='DE'), True)
ev('inverted STRING_IN_LIST is true on a missing attribute', lst(['US'], inv=True), V(), True)
ev('inverted STRING_IN_LIST is false on a listed value', lst(['US'], inv=True), V(COUNTRY='us'), False)
ev('STRING_IN_LIST compares numbers as text', R('plan','STRING_IN_LIST',{'values':['1','3']}), V({'plan':3}), True)

# --- HAS_ANY_VALUE
ev('HAS_ANY_VALUE is true on a preset value', R('COUNTRY','HAS_ANY_VALUE'), V(COUNTRY='US'), True)
ev('HAS_ANY_VALUE is false on a missing preset', R('COUNTRY','HAS_ANY_VALUE'), V(), False)
ev('HAS_ANY_VALUE is false on an empty string', R('COUNTRY','HAS_ANY_VALUE'), V(COUNTRY=''), False)
ev('inverted HAS_ANY_VALUE is true on a missing attribute', R('COUNTRY','HAS_ANY_VALUE',inv=True), V(), True)
ev('HAS_ANY_VALUE counts the number 0 as a value', R('age','HAS_ANY_VALUE'), V({'age':0}), True)
ev('HAS_ANY_VALUE counts false as a value', R('vip','HAS_ANY_VALUE'), V({'vip':False}), True)
ev('HAS_ANY_VALUE on QUERY_PARAMETERS is true with a query string', R('QUERY_PARAMETERS','HAS_ANY_VALUE'), V(PAGE_URL='https://x.example/?a=1'), True)
ev('HAS_ANY_VALUE on QUERY_PARAMETERS is false without a query string', R('QUERY_PARAMETERS','HAS_ANY_VALUE'), V(PAGE_URL='https://x.example/'), False)
ev('HAS_ANY_VALUE on QUERY_PARAMETERS is false without a page URL', R('QUERY_PARAMETERS','HAS_ANY_VALUE'), V(), False)
ev('options given to HAS_ANY_VALUE are ignored', AND(dict(R('COUNTRY','HAS_ANY_VALUE'), attributeMatchOptions={'__type':'StringMatchOptions','value':'zz'})), V(COUNTRY='FR'), True)

# --- IS_TRUE / IS_FALSE
for val, t, f in [(True, True, False), ('true', True, False), ('TRUE', True, False), (' true ', True, False), (False, False, True), ('false', False, True), ('False', False, True),
                  ('yes', False, False), (1, False, False), (0, False, False), ('1', False, False)]:
    ev(f'IS_TRUE on {json.dumps(val)} is {str(t).lower()}', R('vip','IS_TRUE'), V({'vip':val}), t)
    ev(f'IS_FALSE on {json.dumps(val)} is {str(f).lower()}', R('vip','IS_FALSE'), V({'vip':val}), f)
ev('IS_TRUE is false on a missing attribute', R('vip','IS_TRUE'), V(), False)
ev('IS_FALSE is false on a missing attribute', R('vip','IS_FALSE'), V(), False)
ev('inverted IS_TRUE is true on a missing attribute', R('vip','IS_TRUE',inv=True), V(), True)
ev('inverted IS_TRUE is false on true', R('vip','IS_TRUE',inv=True), V({'vip':True}), False)

# --- numbers
gt = lambda v, **k: R('age','NUMBER_GREATER_THAN',value=v, **k)
for val, exp, why in [(42, True, 'a larger number'), ('42', True, 'a numeric string'), (' 42 ', True, 'a padded numeric string'), ('42abc', False, 'a partly numeric string'),
                      ('abc', False, 'a non-numeric string'), (40, False, 'an equal number'), (40.5, True, 'a larger decimal'), ('1e3', True, 'exponent notation'),
                      ('', False, 'an empty string'), (True, False, 'a boolean'), ('0x40', False, 'hex notation')]:
    ev(f'NUMBER_GREATER_THAN 40 on {why} is {str(exp).lower()}', gt(40), V({'age':val}), exp)
ev('inverted NUMBER_GREATER_THAN is true on a non-numeric string', gt(40, inv=True), V({'age':'abc'}), True)
ev('inverted NUMBER_GREATER_THAN is false on a larger number', gt(40, inv=True), V({'age':41}), False)
ev('NUMBER_GREATER_THAN is false on a missing attribute', gt(40), V(), False)
ev('NUMBER_GREATER_THAN compares negative numbers', gt(-10), V({'age':'-5'}), True)
ev('NUMBER_LESS_THAN accepts a smaller number', R('age','NUMBER_LESS_THAN',value=18), V({'age':17}), True)
ev('NUMBER_LESS_THAN rejects an equal number', R('age','NUMBER_LESS_THAN',value=18), V({'age':18}), False)
ev('NUMBER_LESS_THAN accepts a negative numeric string', R('age','NUMBER_LESS_THAN',value=0), V({'age':'-5'}), True)
ev('NUMBER_LESS_THAN is false on a missing attribute (not read as 0)', R('age','NUMBER_LESS_THAN',value=18), V(), False)
ev('NUMBER_EQUAL_TO accepts the number', R('age','NUMBER_EQUAL_TO',value=30), V({'age':30}), True)
ev('NUMBER_EQUAL_TO accepts "30.0"', R('age','NUMBER_EQUAL_TO',value=30), V({'age':'30.0'}), True)
ev('NUMBER_EQUAL_TO rejects another number', R('age','NUMBER_EQUAL_TO',value=30), V({'age':31}), False)
ev('NUMBER_EQUAL_TO compares decimals', R('score','NUMBER_EQUAL_TO',value=0.5), V({'score':'.5'}), True)
for val, exp in [(18, True), (30, True), (25, True), ('25', True), (30.01, False), (17, False), ('x', False)]:
    ev(f'NUMBER_BETWEEN 18 and 30 (inclusive) on {json.dumps(val)} is {str(exp).lower()}', R('age','NUMBER_BETWEEN',min=18,max=30), V({'age':val}), exp)

# --- semver
sv = lambda c, v: R('appVersion', c, value=v)
for val, exp in [('2.1.0', True), ('v2.1.0', True), ('2.1.0+build.5', True), ('2.1', False), ('2.1.0-beta', False), ('02.1.0', False), ('2.1.0.0', False)]:
    ev(f'SEMVER_EQUALS 2.1.0 on "{val}" is {str(exp).lower()}', sv('SEMVER_EQUALS','2.1.0'), V({'appVersion':val}), exp)
for val, exp in [('2.0.1', True), ('2.0.0', False), ('10.0.0', True), ('2.0.0-rc.1', False), ('1.99.99', False), ('3.0.0-alpha', True)]:
    ev(f'SEMVER_GREATER_THAN 2.0.0 on "{val}" is {str(exp).lower()}', sv('SEMVER_GREATER_THAN','2.0.0'), V({'appVersion':val}), exp)
for val, exp in [('2.0.0-rc.1', True), ('1.9.9', True), ('2.0.0', False), ('2.0.1', False), ('1.10.0', True)]:
    ev(f'SEMVER_LESS_THAN 2.0.0 on "{val}" is {str(exp).lower()}', sv('SEMVER_LESS_THAN','2.0.0'), V({'appVersion':val}), exp)
order = ['1.0.0-alpha','1.0.0-alpha.1','1.0.0-alpha.beta','1.0.0-beta','1.0.0-beta.2','1.0.0-beta.11','1.0.0-rc.1','1.0.0']
for a, b in zip(order, order[1:]):
    ev(f'semver precedence: {a} is before {b}', sv('SEMVER_LESS_THAN', b), V({'appVersion':a}), True)
    ev(f'semver precedence: {b} is after {a}', sv('SEMVER_GREATER_THAN', a), V({'appVersion':b}), True)
ev('SEMVER_GREATER_THAN is false on a number', sv('SEMVER_GREATER_THAN','1.0.0'), V({'appVersion':2}), False)
ev('SEMVER_EQUALS is false on a missing attribute', sv('SEMVER_EQUALS','1.0.0'), V(), False)
ev('SEMVER_EQUALS ignores build metadata in the option', sv('SEMVER_EQUALS','1.0.0+abc'), V({'appVersion':'1.0.0'}), True)

# --- regex
rx = lambda a, p, **k: R(a, 'MATCHES_REGEX', {'pattern': p, **k.pop('o', {})}, **k)
for name, a, p, v, exp, extra in [
  ('an anchored email pattern', 'email', r'^[a-z]+@example\.com$', 'ann@example.com', True, {}),
  ('an anchored email pattern ignoring case', 'email', r'^[a-z]+@example\.com$', 'ANN@EXAMPLE.COM', True, {}),
  ('an anchored email pattern with caseSensitive', 'email', r'^[a-z]+@example\.com$', 'ANN@EXAMPLE.COM', False, {'caseSensitive': True}),
  ('a nested quantifier on a long non-matching input (no catastrophic backtracking)', 'email', r'(a+)+$', 'a'*5000 + '!', False, {}),
  ('a nested quantifier on a matching input', 'email', r'^(a+)+$', 'aaa', True, {}),
  ('an unanchored pattern anywhere in the value', 'plan', 'gold', 'platinum-gold-x', True, {}),
  ('an alternation', 'plan', '^(gold|silver)$', 'silver', True, {}),
  ('an alternation rejecting another word', 'plan', '^(gold|silver)$', 'bronze', False, {}),
  ('a bounded repeat rejecting too many', 'plan', '^a{2,3}$', 'aaaa', False, {}),
  ('a bounded repeat accepting the minimum', 'plan', '^a{2,3}$', 'aa', True, {}),
  ('an exact repeat', 'plan', '^a{3}$', 'aaa', True, {}),
  ('an open repeat', 'plan', '^a{2,}$', 'aaaaaa', True, {}),
  ('a negated class', 'plan', '^[^0-9]+$', 'abc', True, {}),
  ('a negated class rejecting a digit', 'plan', '^[^0-9]+$', 'ab1', False, {}),
  ('a negated class under case folding', 'plan', '^[^a]$', 'A', False, {}),
  ('a digit shorthand', 'plan', r'\d{3}', 'ab123', True, {}),
  ('a word shorthand', 'plan', r'^\w+$', 'a_b9', True, {}),
  ('a space shorthand', 'plan', r'a\sb', 'a b', True, {}),
  ('a dot not matching a newline', 'plan', '^a.b$', 'a\nb', False, {}),
  ('a dot matching another character', 'plan', '^a.b$', 'axb', True, {}),
  ('an optional group', 'plan', '^colou?r$', 'color', True, {}),
  ('a lazy quantifier (same strings as greedy)', 'plan', '^a+?b$', 'aab', True, {}),
  ('a non-capturing group', 'plan', '^(?:ab)+$', 'ababab', True, {}),
  ('a named group', 'plan', '^(?<p>gold)$', 'GOLD', True, {}),
  ('an escaped metacharacter', 'plan', r'^a\+b$', 'a+b', True, {}),
  ('a hex escape', 'plan', r'^\x41$', 'a', True, {}),
  ('a pattern that matches the empty string', 'plan', 'x*', 'abc', True, {}),
  ('the number read as text', 'score', '^12', 12345, True, {}),
  ('an OS alternation ignoring case', 'OPERATING_SYSTEM', '^(ios|android)$', 'iOS', True, {}),
  ('a class range', 'plan', '^[a-c]+$', 'abcabc', True, {}),
  ('a class range rejecting outside characters', 'plan', '^[a-c]+$', 'abd', False, {}),
]:
    r = R(a, 'MATCHES_REGEX', {'pattern': p, **extra})
    ev(f'MATCHES_REGEX with {name} is {str(exp).lower()}', r, V({a: v}) if a not in PRESETS else V(**{a: v}), exp)
ev('MATCHES_REGEX is false on a missing attribute', R('plan','MATCHES_REGEX',{'pattern':'.*'}), V(), False)
ev('inverted MATCHES_REGEX is true on a missing attribute', R('plan','MATCHES_REGEX',{'pattern':'.*'},inv=True), V(), True)

# --- JSON_MATCH
jm = lambda o, **k: R('QUERY_PARAMETERS','JSON_MATCH',o,**k)
for name, o, url, exp in [
  ('a key and value', {'key':'utm_source','value':'ads'}, 'https://shop.example/?utm_source=ads&x=1', True),
  ('a value in another case', {'key':'utm_source','value':'ADS'}, 'https://shop.example/?utm_source=ads', True),
  ('a key in another case', {'key':'UTM_SOURCE','value':'ads'}, 'https://shop.example/?utm_source=ads', True),
  ('caseSensitive and another case', {'key':'utm_source','value':'ADS','caseSensitive':True}, 'https://shop.example/?utm_source=ads', False),
  ('a different value', {'key':'utm_source','value':'mail'}, 'https://shop.example/?utm_source=ads', False),
  ('a key alone (presence)', {'key':'debug'}, 'https://shop.example/?debug', True),
  ('a key alone with an empty value', {'key':'debug'}, 'https://shop.example/?debug=', True),
  ('a key that is absent', {'key':'debug'}, 'https://shop.example/?x=1', False),
  ('a percent-encoded value', {'key':'q','value':'black friday'}, 'https://shop.example/?q=black%20friday', True),
  ('a plus-encoded space', {'key':'q','value':'black friday'}, 'https://shop.example/?q=black+friday', True),
  ('a percent-encoded key', {'key':'utm_source','value':'ads'}, 'https://shop.example/?utm%5Fsource=ads', True),
  ('a repeated key whose second value matches', {'key':'tag','value':'b'}, 'https://shop.example/?tag=a&tag=b', True),
  ('parameters after the fragment (not the query)', {'key':'utm_source','value':'ads'}, 'https://shop.example/#?utm_source=ads', False),
  ('a fragment after the query', {'key':'utm_source','value':'ads'}, 'https://shop.example/?utm_source=ads#top', True),
  ('a relative URL', {'key':'utm_source','value':'ads'}, '/p?utm_source=ads', True),
  ('a malformed escape kept as is', {'key':'q','value':'%E0%A4%A'}, 'https://shop.example/?q=%E0%A4%A', True),
  ('an empty value that must equal a value', {'key':'q','value':'x'}, 'https://shop.example/?q=', False),
]:
    ev(f'JSON_MATCH with {name} is {str(exp).lower()}', jm(o), V(PAGE_URL=url), exp)
ev('JSON_MATCH is false without a page URL', jm({'key':'a'}), V(), False)
ev('inverted JSON_MATCH is true without a page URL', jm({'key':'a'}, inv=True), V(), True)

# --- DATE_AND_TIME (now = 2025-11-28T12:00:00Z)
dt = lambda c, o, **k: R('DATE_AND_TIME', c, o, **k)
for name, c, o, exp in [
  ('BEFORE_TIME a later date', 'BEFORE_TIME', {'value':'2025-12-01'}, True),
  ('AFTER_TIME a later date', 'AFTER_TIME', {'value':'2025-12-01'}, False),
  ('AFTER_TIME a second earlier', 'AFTER_TIME', {'value':'2025-11-28T11:59:59Z'}, True),
  ('BEFORE_TIME the same instant (strict)', 'BEFORE_TIME', {'value':'2025-11-28T12:00:00Z'}, False),
  ('AFTER_TIME the same instant (strict)', 'AFTER_TIME', {'value':'2025-11-28T12:00:00Z'}, False),
  ('BEFORE_TIME with a +01:00 offset (12:30Z)', 'BEFORE_TIME', {'value':'2025-11-28T13:30:00+01:00'}, True),
  ('BEFORE_TIME with a +01:00 offset (11:30Z)', 'BEFORE_TIME', {'value':'2025-11-28T12:30:00+01:00'}, False),
  ('AFTER_TIME read in America/New_York (11:00Z)', 'AFTER_TIME', {'value':'2025-11-28T06:00','timezone':'America/New_York'}, True),
  ('BEFORE_TIME read in America/New_York (13:00Z)', 'BEFORE_TIME', {'value':'2025-11-28T08:00','timezone':'America/New_York'}, True),
  ('BEFORE_TIME read in Asia/Tokyo (11:00Z)', 'BEFORE_TIME', {'value':'2025-11-28T20:00','timezone':'Asia/Tokyo'}, False),
  ('an explicit offset winning over timezone', 'BEFORE_TIME', {'value':'2025-11-28T12:30:00Z','timezone':'Asia/Tokyo'}, True),
  ('AFTER_TIME with a space separator', 'AFTER_TIME', {'value':'2025-11-28 11:00:00Z'}, True),
  ('AFTER_TIME with milliseconds', 'AFTER_TIME', {'value':'2025-11-28T11:59:59.500Z'}, True),
  ('AFTER_TIME with a compact offset', 'AFTER_TIME', {'value':'2025-11-28T11:00:00+0000'}, True),
  ('AFTER_TIME with nanoseconds', 'AFTER_TIME', {'value':'2025-11-28T11:59:59.123456789Z'}, True),
  ('AFTER_TIME with minutes only', 'AFTER_TIME', {'value':'2025-11-28T11:59'}, True),
  ('BETWEEN_TIME a month around now', 'BETWEEN_TIME', {'from':'2025-11-01','to':'2025-12-01'}, True),
  ('BETWEEN_TIME including its start', 'BETWEEN_TIME', {'from':'2025-11-28T12:00:00Z','to':'2025-11-29'}, True),
  ('BETWEEN_TIME excluding its end', 'BETWEEN_TIME', {'from':'2025-11-27','to':'2025-11-28T12:00:00Z'}, False),
  ('BETWEEN_TIME a past range', 'BETWEEN_TIME', {'from':'2024-11-01','to':'2024-12-01'}, False),
  ('BETWEEN_TIME office hours UTC', 'BETWEEN_TIME', {'from':'09:00','to':'17:00'}, True),
  ('BETWEEN_TIME office hours in Asia/Tokyo (21:00 there)', 'BETWEEN_TIME', {'from':'09:00','to':'17:00','timezone':'Asia/Tokyo'}, False),
  ('BETWEEN_TIME a night window wrapping midnight in Asia/Tokyo (21:00 there)', 'BETWEEN_TIME', {'from':'22:00','to':'06:00','timezone':'Asia/Tokyo'}, False),
  ('BETWEEN_TIME a night window wrapping midnight in Pacific/Auckland (01:00 there)', 'BETWEEN_TIME', {'from':'22:00','to':'06:00','timezone':'Pacific/Auckland'}, True),
  ('BEFORE_TIME a time of day later today', 'BEFORE_TIME', {'value':'13:00'}, True),
  ('AFTER_TIME a time of day later today', 'AFTER_TIME', {'value':'13:00'}, False),
  ('AFTER_TIME a time of day with seconds', 'AFTER_TIME', {'value':'11:59:59'}, True),
  ('AFTER_TIME 12:00 in Europe/Paris (13:00 there)', 'AFTER_TIME', {'value':'12:00','timezone':'Europe/Paris'}, True),
]:
    ev(f'DATE_AND_TIME {name} is {str(exp).lower()}', dt(c, o), V(), exp)
ev('DATE_AND_TIME reads the visitor clock (June)', dt('BEFORE_TIME', {'value':'2025-07-01'}), V(now=ms('2025-06-01T00:00:00Z')), True)
ev('DATE_AND_TIME in summer time in Europe/Paris (UTC+2)', dt('AFTER_TIME', {'value':'2025-07-01T13:30','timezone':'Europe/Paris'}), V(now=ms('2025-07-01T12:00:00Z')), True)
ev('DATE_AND_TIME in winter time in Europe/Paris (UTC+1)', dt('AFTER_TIME', {'value':'2025-01-01T13:30','timezone':'Europe/Paris'}), V(now=ms('2025-01-01T12:00:00Z')), False)
ev('inverted BEFORE_TIME is true after the date', dt('BEFORE_TIME', {'value':'2025-01-01'}, inv=True), V(), True)

# --- custom date attributes
cd = lambda c, o, **k: R('signupDate', c, o, **k)
for name, c, o, val, exp in [
  ('a later date', 'AFTER_TIME', {'value':'2024-01-01'}, '2024-05-01', True),
  ('an earlier date', 'AFTER_TIME', {'value':'2024-01-01'}, '2023-05-01', False),
  ('a value with an offset', 'BEFORE_TIME', {'value':'2024-05-01T09:00:00Z'}, '2024-05-01T10:00:00+02:00', True),
  ('epoch milliseconds', 'AFTER_TIME', {'value':'2024-05-01'}, 1714550400000, True),
  ('a value that is not a date', 'AFTER_TIME', {'value':'2024-01-01'}, 'not a date', False),
  ('an impossible calendar date', 'AFTER_TIME', {'value':'2024-01-01'}, '2024-02-30', False),
  ('a leap day', 'AFTER_TIME', {'value':'2024-01-01'}, '2024-02-29', True),
  ('a range', 'BETWEEN_TIME', {'from':'2024-01-01','to':'2025-01-01'}, '2024-12-31T23:59:59Z', True),
  ('a value without offset read in the rule timezone', 'BEFORE_TIME', {'value':'2024-05-01T12:00','timezone':'Asia/Tokyo'}, '2024-05-01T11:00', True),
  ('a time of day as value (not an instant)', 'AFTER_TIME', {'value':'2024-01-01'}, '10:00', False),
]:
    ev(f'date attribute {name}: {str(exp).lower()}', cd(c, o), V({'signupDate': val}), exp)
ev('inverted AFTER_TIME on a value that is not a date is true', cd('AFTER_TIME', {'value':'2024-01-01'}, inv=True), V({'signupDate':'soon'}), True)

# --- groups
us = eq('US'); age30 = gt(30); gold = R('plan','STRING_EQUALS',value='gold')
ev('AND matches when every rule matches', AND(us, age30), V({'age':40}, COUNTRY='US'), True)
ev('AND fails when one rule fails', AND(us, age30), V({'age':20}, COUNTRY='US'), False)
ev('OR matches when one rule matches', OR(us, age30), V({'age':20}, COUNTRY='US'), True)
ev('OR fails when no rule matches', OR(us, age30), V({'age':20}, COUNTRY='CA'), False)
nested = AND(us, OR(age30, gold))
ev('nested groups: US, 25, gold matches', nested, V({'age':25,'plan':'gold'}, COUNTRY='US'), True)
ev('nested groups: US, 25, silver fails', nested, V({'age':25,'plan':'silver'}, COUNTRY='US'), False)
ev('nested groups: CA, 40, gold fails', nested, V({'age':40,'plan':'gold'}, COUNTRY='CA'), False)
ev('nested groups: US, 40, no plan matches', nested, V({'age':40}, COUNTRY='US'), True)
deep = us
for _ in range(8): deep = AND(deep)
ev('a rule nested 8 levels deep is evaluated', deep, V(COUNTRY='US'), True)
ev('OR over missing attributes fails', OR(us, age30, gold), V(), False)
ev('AND over inverted rules on missing attributes matches', AND(eq('US', inv=True), gt(30, inv=True)), V(), True)
ev('OR of AND groups matches through the second group', OR(AND(us, age30), AND(gold, R('vip','IS_TRUE'))), V({'plan':'GOLD','vip':'true'}, COUNTRY='FR'), True)
ev('mixed presets and custom attributes', AND(R('DEVICE_TYPE','STRING_IN_LIST',{'values':['MOBILE','TABLET']}), R('QUERY_PARAMETERS','JSON_MATCH',{'key':'utm_campaign','value':'bf'}), gt(17)), V({'age':'18'}, DEVICE_TYPE='tablet', PAGE_URL='https://s.example/?utm_campaign=BF'), True)

# ---------------- validation
VAL = []
def va(name, inp, issues, limits=None, normalized=None):
    c = [name, inp, limits, {'ok': True} if issues is None else {'issues': issues}]
    if normalized is not None: c[3]['definition'] = normalized
    VAL.append(c)
O = 'rules[0].attributeMatchOptions'
C = 'rules[0].attributeMatchCondition'
va('accepts a documented Contentstack definition', AND(us, R('age','NUMBER_GREATER_THAN',value=1000)), None)
va('rejects null', None, [['', 'INVALID_TYPE']])
va('rejects a string', 'AND', [['', 'INVALID_TYPE']])
va('rejects an array', [us], [['', 'INVALID_TYPE']])
va('rejects a rule at the root', us, [['__type', 'INVALID_TYPE']])
va('rejects an unknown combination type', G('XOR', us), [['combinationType', 'INVALID_COMBINATION_TYPE']])
va('rejects a missing combination type', {'__type':'RuleCombination','rules':[us]}, [['combinationType', 'INVALID_COMBINATION_TYPE']])
va('rejects a group without rules', {'__type':'RuleCombination','combinationType':'AND'}, [['rules', 'INVALID_TYPE']])
va('rejects an empty root group', AND(), [['rules', 'EMPTY_GROUP']])
va('rejects an empty nested group', AND(us, OR()), [['rules[1].rules', 'EMPTY_GROUP']])
va('rejects an unknown condition', AND(dict(us, attributeMatchCondition='STRING_CONTAINS')), [[C, 'UNKNOWN_CONDITION']])
va('rejects a number condition on COUNTRY', AND(dict(R('age','NUMBER_GREATER_THAN',value=1), attribute=ref('COUNTRY'))), [[C, 'CONDITION_NOT_ALLOWED']])
va('rejects JSON_MATCH on a custom attribute', AND(dict(jm({'key':'a'}), attribute=ref('plan'))), [[C, 'CONDITION_NOT_ALLOWED']])
va('rejects STRING_EQUALS on DATE_AND_TIME', AND(dict(us, attribute=ref('DATE_AND_TIME'))), [[C, 'CONDITION_NOT_ALLOWED']])
va('rejects IS_TRUE on a preset', AND(R('COUNTRY','IS_TRUE')), [[C, 'CONDITION_NOT_ALLOWED']])
va('rejects an unknown custom attribute uid', AND(dict(gold, attribute={'__type':'CustomAttributeReference','ref':'66702e03d84509d0106bec99'})), [['rules[0].attribute.ref', 'UNKNOWN_ATTRIBUTE']])
va('rejects a custom attribute referenced by key', AND(dict(gold, attribute={'__type':'CustomAttributeReference','ref':'plan'})), [['rules[0].attribute.ref', 'UNKNOWN_ATTRIBUTE']])
va('rejects an unknown preset', AND(dict(us, attribute={'__type':'PresetAttributeReference','ref':'BROWSER'})), [['rules[0].attribute.ref', 'UNKNOWN_ATTRIBUTE']])
va('rejects Lytics attributes and conditions', AND({'__type':'Rule','attribute':{'__type':'LyticsAttributeReference','ref':'LYTICS_AUDIENCE'},'attributeMatchCondition':'IS_MEMBER_OF','attributeMatchOptions':{'__type':'AudienceMatchOptions','value':'x'},'invertCondition':False}),
   [['rules[0].attribute', 'LYTICS_NOT_SUPPORTED'], [C, 'LYTICS_NOT_SUPPORTED']])
va('rejects a rule without an attribute', AND({'__type':'Rule','attributeMatchCondition':'HAS_ANY_VALUE','invertCondition':False}), [['rules[0].attribute', 'INVALID_ATTRIBUTE']])
va('rejects an attribute reference of unknown type', AND(dict(us, attribute={'__type':'Foo','ref':'COUNTRY'})), [['rules[0].attribute.__type', 'INVALID_ATTRIBUTE']])
va('rejects a rule that is a number', AND(5), [['rules[0]', 'INVALID_TYPE']])
va('rejects a rule with a wrong __type', AND(dict(us, __type='Condition')), [['rules[0].__type', 'INVALID_TYPE']])
va('rejects missing options', AND({k: v for k, v in us.items() if k != 'attributeMatchOptions'}), [[O, 'MISSING_OPTIONS']])
va('rejects a non-string value', AND(R('COUNTRY','STRING_EQUALS',value=42)), [[O + '.value', 'INVALID_OPTIONS']])
va('rejects an empty string value', AND(R('COUNTRY','STRING_EQUALS',value='')), [[O + '.value', 'INVALID_OPTIONS']])
va('rejects a non-boolean caseSensitive', AND(R('COUNTRY','STRING_EQUALS',value='US',caseSensitive='yes')), [[O + '.caseSensitive', 'INVALID_OPTIONS']])
va('rejects an options __type of another condition', AND(dict(us, attributeMatchOptions={'__type':'NumberMatchOptions','value':'US'})), [[O + '.__type', 'INVALID_OPTIONS']])
va('rejects a numeric string for a number option', AND(R('age','NUMBER_GREATER_THAN',value='1000')), [[O + '.value', 'INVALID_OPTIONS']])
va('rejects NUMBER_BETWEEN with min above max', AND(R('age','NUMBER_BETWEEN',min=30,max=18)), [[O + '.max', 'INVALID_OPTIONS']])
va('rejects NUMBER_BETWEEN without max', AND(R('age','NUMBER_BETWEEN',min=30)), [[O + '.max', 'INVALID_OPTIONS']])
va('rejects an empty list', AND(R('COUNTRY','STRING_IN_LIST',{'values':[]})), [[O + '.values', 'INVALID_OPTIONS']])
va('rejects a non-string list entry', AND(R('COUNTRY','STRING_IN_LIST',{'values':['US',3]})), [[O + '.values[1]', 'INVALID_OPTIONS']])
va('rejects an unclosed group in a regex', AND(R('plan','MATCHES_REGEX',{'pattern':'(a'})), [[O + '.pattern', 'INVALID_REGEX']])
va('rejects a backreference', AND(R('plan','MATCHES_REGEX',{'pattern':r'(a)\1'})), [[O + '.pattern', 'INVALID_REGEX']])
va('rejects a lookahead', AND(R('plan','MATCHES_REGEX',{'pattern':'(?=a)a'})), [[O + '.pattern', 'INVALID_REGEX']])
va('rejects a lookbehind', AND(R('plan','MATCHES_REGEX',{'pattern':'(?<=a)b'})), [[O + '.pattern', 'INVALID_REGEX']])
va('rejects a word boundary', AND(R('plan','MATCHES_REGEX',{'pattern':r'\bgold'})), [[O + '.pattern', 'INVALID_REGEX']])
va('rejects a dangling quantifier', AND(R('plan','MATCHES_REGEX',{'pattern':'*a'})), [[O + '.pattern', 'INVALID_REGEX']])
va('rejects a repeat count above 1000', AND(R('plan','MATCHES_REGEX',{'pattern':'a{1001}'})), [[O + '.pattern', 'INVALID_REGEX']])
va('rejects a pattern that expands too far', AND(R('plan','MATCHES_REGEX',{'pattern':'((a{1000}){1000}){1000}'})), [[O + '.pattern', 'INVALID_REGEX']])
va('rejects an incomplete semver', AND(sv('SEMVER_EQUALS','1.2')), [[O + '.value', 'INVALID_SEMVER']])
va('rejects a semver with a leading zero', AND(sv('SEMVER_EQUALS','01.2.3')), [[O + '.value', 'INVALID_SEMVER']])
va('rejects an impossible month', AND(dt('BEFORE_TIME', {'value':'2025-13-01'})), [[O + '.value', 'INVALID_DATE']])
va('rejects a date in another format', AND(dt('BEFORE_TIME', {'value':'11/28/2025'})), [[O + '.value', 'INVALID_DATE']])
va('rejects an unknown time zone', AND(dt('BEFORE_TIME', {'value':'2025-11-01','timezone':'Mars/Base'})), [[O + '.timezone', 'INVALID_TIMEZONE']])
va('rejects a range whose end precedes its start', AND(dt('BETWEEN_TIME', {'from':'2025-12-01','to':'2025-11-01'})), [[O + '.to', 'INVALID_OPTIONS']])
va('rejects a range mixing a date and a time of day', AND(dt('BETWEEN_TIME', {'from':'2025-11-01','to':'17:00'})), [[O + '.to', 'INVALID_OPTIONS']])
va('rejects a time of day on a custom attribute', AND(cd('AFTER_TIME', {'value':'09:00'})), [[O + '.value', 'INVALID_DATE']])
va('rejects JSON_MATCH without a key', AND(jm({'value':'x'})), [[O + '.key', 'INVALID_OPTIONS']])
va('rejects a non-boolean invertCondition', AND(dict(us, invertCondition='yes')), [['rules[0].invertCondition', 'INVALID_TYPE']])
va('reports every problem, not the first', AND(dict(us, attributeMatchCondition='NOPE'), dict(gold, attribute={'__type':'CustomAttributeReference','ref':'nope'}), {k: v for k, v in age30.items() if k != 'attributeMatchOptions'}),
   [['rules[0].attributeMatchCondition', 'UNKNOWN_CONDITION'], ['rules[1].attribute.ref', 'UNKNOWN_ATTRIBUTE'], ['rules[2].attributeMatchOptions', 'MISSING_OPTIONS']])
va('accepts 50 rules', AND(*[us]*50), None)
va('rejects 51 rules', AND(*[us]*51), [['', 'RULE_COUNT_EXCEEDED']])
va('counts rules across nested groups', AND(*[OR(us, us, us) for _ in range(17)]), [['', 'RULE_COUNT_EXCEEDED']])
va('applies a project rule limit', AND(us, us, us, us), [['', 'RULE_COUNT_EXCEEDED']], limits={'maxRules': 3})
va('accepts a definition 8 levels deep', deep, None)
d9 = AND(deep)
va('rejects a definition 9 levels deep', d9, [['.'.join(['rules[0]']*8), 'DEPTH_EXCEEDED']])
va('applies a depth limit', AND(AND(AND(us))), [['rules[0].rules[0]', 'DEPTH_EXCEEDED']], limits={'maxDepth': 2})
va('reads a missing invertCondition as false', AND({k: v for k, v in us.items() if k != 'invertCondition'}), None, normalized=AND(us))
va('accepts the legacy UserAttributeReference', AND(dict(gold, attribute={'__type':'UserAttributeReference','ref':KEY2UID['plan']})), None, normalized=AND(gold))
va('strips unknown keys', dict(AND(dict(us, note='x', attributeMatchOptions=dict(us['attributeMatchOptions'], extra=1))), _id='abc'), None, normalized=AND(us))
va('drops options of conditions that take none', AND(dict(R('COUNTRY','HAS_ANY_VALUE'), attributeMatchOptions={'__type':'StringMatchOptions','value':'x'})), None, normalized=AND(R('COUNTRY','HAS_ANY_VALUE')))
va('fills a missing options __type', AND(dict(us, attributeMatchOptions={'value':'US'})), None, normalized=AND(us))
va('infers group and rule types when __type is missing', {'combinationType':'AND','rules':[{k: v for k, v in us.items() if k != '__type'}]}, None, normalized=AND(us))
va('keeps caseSensitive when given', AND(R('COUNTRY','STRING_EQUALS',value='US',caseSensitive=False)), None, normalized=AND(R('COUNTRY','STRING_EQUALS',value='US',caseSensitive=False)))

# ---------------- hash vectors
H = {'murmur3': [], 'buckets': [], 'pick': []}
for s, seed in [('', 0), ('hello', 0), ('Hello, world!', 0), ('The quick brown fox jumps over the lazy dog', 0), ('', 1), ('', 4294967295), ('ü', 0), ('日本', 0), ('😀', 0), ('abcd', 0), ('abcde', 42)]:
    H['murmur3'].append([s, seed, murmur3(s.encode('utf-8'), seed)])
for seed in ['exp1:salt1:variant', 'exp1:salt1:traffic', '66702e03d84509d0106bec05:9f1c:variant', '']:
    for uid in ['visitor-1', 'visitor-2', '60b2f3a0-1c2d-4e5f-8a9b-0c1d2e3f4a50', 'ü-user', '😀', '']:
        H['buckets'].append([seed, uid, bucket(seed, uid)])
VARS = [['0', 50], ['1', 50]]
for b, vs in [(0, VARS), (4999, VARS), (5000, VARS), (9999, VARS), (3332, [['a', 33.33], ['b', 33.33], ['c', 33.34]]), (3333, [['a', 33.33], ['b', 33.33], ['c', 33.34]]),
              (9999, [['a', 33.33], ['b', 33.33], ['c', 33.34]]), (7999, [['a', 80]]), (8000, [['a', 80]]), (0, [['z', 0], ['a', 100]]), (0, []), (9999, [['a', 60], ['b', 60]])]:
    H['pick'].append([b, [{'shortUid': s, 'trafficDistribution': t} for s, t in vs], pick(b, vs)])

# ---------------- decide
AUD = {'aud_us': AND(us), 'aud_adult': AND(gt(17)), 'aud_gold': AND(gold), 'aud_mobile': AND(R('DEVICE_TYPE','STRING_EQUALS',value='MOBILE'))}
def aud(*names): return [{'uid': n, 'definition': AUD[n]} for n in names]
def seg(uid, short, variants, tags=(), active=True):
    return {'uid': uid, 'shortUid': short, 'type': 'SEGMENTED', 'tags': list(tags),
            'active': {'versionUid': 'v-' + uid, 'salt': 's-' + uid, 'variants': variants} if active else None}
def sv_(short, auds, t='AND'): return {'shortUid': short, 'audiences': auds, 'audienceCombinationType': t}
def ab(uid, short, variants, targeting=None, alloc=None, tags=(), salt=None):
    act = {'versionUid': 'v-' + uid, 'salt': salt or ('s-' + uid), 'variants': [{'shortUid': s, 'trafficDistribution': t} if t is not None else {'shortUid': s} for s, t in variants]}
    if targeting is not None: act['targeting'] = targeting
    if alloc is not None: act['trafficAllocation'] = alloc
    return {'uid': uid, 'shortUid': short, 'type': 'AB_TEST', 'tags': list(tags), 'active': act}
def ab_expected(e, uid):
    a = e['active']
    alloc = a.get('trafficAllocation', 100)
    if alloc < 100 and bucket(f"{e['uid']}:{a['salt']}:traffic", uid) >= round(alloc * 100): return None
    vs = a['variants']
    eq_ = all('trafficDistribution' not in v for v in vs)
    return pick(bucket(f"{e['uid']}:{a['salt']}:variant", uid), [(v['shortUid'], 100 / len(vs) if eq_ else v.get('trafficDistribution', 0)) for v in vs])
DEC = []
def de(name, snap, uid, visitor, tags, expected):
    DEC.append([name, snap, uid, visitor, tags, {'experiences': [{'shortUid': s, 'activeVariantShortUid': v} for s, v in expected]}])
vUS = V({'age': 30, 'plan': 'gold'}, COUNTRY='US', DEVICE_TYPE='MOBILE')
vCA = V({'age': 12}, COUNTRY='CA', DEVICE_TYPE='DESKTOP')
S1 = {'audiences': aud('aud_us', 'aud_adult', 'aud_gold', 'aud_mobile'), 'experiences': [
    seg('e0', '0', [sv_('0', ['aud_us', 'aud_gold']), sv_('1', ['aud_us'])]),
    seg('e1', '1', [sv_('0', ['aud_gold', 'aud_mobile'], 'OR'), sv_('1', ['aud_adult'])], tags=['Promo']),
    seg('e2', '2', [sv_('0', ['aud_us'])], active=False),
    seg('e3', '3', [sv_('0', ['aud_unknown'])], tags=['checkout']),
]}
de('segmented: the first matching variant wins, in priority order', S1, 'u1', vUS, None, [('0','0'),('1','0'),('2',None),('3',None)])
de('segmented: no matching variant gives null', S1, 'u1', vCA, None, [('0',None),('1',None),('2',None),('3',None)])
de('segmented: AND needs every audience of the variant', S1, 'u1', V({'age': 30, 'plan': 'silver'}, COUNTRY='US'), None, [('0','1'),('1','1'),('2',None),('3',None)])
de('tag filter keeps experiences with any listed tag, ignoring case', S1, 'u1', vUS, ['PROMO', 'other'], [('1','0')])
de('tag filter with two matching tags keeps both in priority order', S1, 'u1', vUS, ['checkout', 'promo'], [('1','0'),('3',None)])
de('tag filter with no match gives an empty manifest', S1, 'u1', vUS, ['none'], [])
de('an empty tag list does not filter', S1, 'u1', vUS, [], [('0','0'),('1','0'),('2',None),('3',None)])
S2 = {'audiences': aud('aud_us', 'aud_adult'), 'experiences': [
    ab('x0', '0', [('0', 50), ('1', 50)]),
    ab('x1', '1', [('0', 50), ('1', 50)], targeting={'audiences': ['aud_us'], 'audienceCombinationType': 'AND'}),
    ab('x2', '2', [('a', 20), ('b', 30), ('c', 50)], alloc=50),
    ab('x3', '3', [('0', None), ('1', None), ('2', None)]),
    ab('x4', '4', [('0', 50), ('1', 50)], targeting={'audiences': [], 'audienceCombinationType': 'AND'}),
    ab('x5', '5', [('0', 50), ('1', 50)], targeting={'audiences': ['aud_us', 'aud_adult'], 'audienceCombinationType': 'OR'}),
    ab('x6', '6', [('0', 30), ('1', 30)]),
]}
for i, uid in enumerate(['visitor-1', 'visitor-2', 'visitor-3', '60b2f3a0-1c2d-4e5f-8a9b-0c1d2e3f4a50', 'ü', 'visitor-42', 'visitor-777', 'x']):
    for vname, vis, us_match, adult in [('US adult', vUS, True, True), ('CA child', vCA, False, False)]:
        exp = []
        for e in S2['experiences']:
            t = e['active'].get('targeting')
            if t and t['audiences']:
                hits = [us_match if a == 'aud_us' else adult for a in t['audiences']]
                ok = all(hits) if t['audienceCombinationType'] == 'AND' else any(hits)
                if not ok: exp.append((e['shortUid'], None)); continue
            exp.append((e['shortUid'], ab_expected(e, uid)))
        de(f'A/B: buckets {uid} ({vname}) by published hash, targeting and allocation', S2, uid, vis, None, exp)
S3 = {'audiences': aud('aud_us'), 'experiences': [ab('r0', '0', [('0', 50), ('1', 50)], alloc=alloc, salt='fixed') for alloc in [10]]}
for alloc in [10, 50, 90]:
    S3 = {'audiences': [], 'experiences': [ab('r0', '0', [('0', 50), ('1', 50)], alloc=alloc, salt='fixed')]}
    for uid in ['visitor-5', 'visitor-6', 'visitor-9']:
        de(f'A/B ramp to {alloc}%: {uid} keeps the variant of the variant draw when in the test', S3, uid, vUS, None, [('0', ab_expected(S3['experiences'][0], uid))])

cat = {k: v for k, v in CATALOG.items()}
out = {
  '$comment': 'Tailor engine spec as data. evaluate: [name, definition, visitor, expected]. validation: [name, input, limits, {ok} | {issues:[[path, code]…], definition?}]. hash: murmur3 [utf8 text, seed, uint32], buckets [seed, visitorUid, bucket = murmur3(utf8(seed+"|"+uid)) mod 10000], pick [bucket, variants, shortUid|null]. decide: [name, snapshot input without catalog, visitorUid, visitor, tags|null, manifest]; A/B seeds are experienceUid:salt:traffic and experienceUid:salt:variant.',
  'catalog': cat, 'evaluate': E, 'validation': VAL, 'hash': H, 'decide': DEC}
def dump(o):
    # One case per line keeps diffs readable.
    lines = ['{']
    keys = list(o.keys())
    for i, k in enumerate(keys):
        v = o[k]; comma = ',' if i < len(keys) - 1 else ''
        if isinstance(v, list):
            lines.append(f'  {json.dumps(k)}: [')
            for j, c in enumerate(v): lines.append('    ' + json.dumps(c, ensure_ascii=False) + (',' if j < len(v) - 1 else ''))
            lines.append('  ]' + comma)
        elif k == 'hash':
            lines.append(f'  {json.dumps(k)}: {{')
            hk = list(v.keys())
            for j, kk in enumerate(hk):
                lines.append(f'    {json.dumps(kk)}: [')
                for m, c in enumerate(v[kk]): lines.append('      ' + json.dumps(c, ensure_ascii=False) + (',' if m < len(v[kk]) - 1 else ''))
                lines.append('    ]' + (',' if j < len(hk) - 1 else ''))
            lines.append('  }' + comma)
        else:
            lines.append(f'  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}{comma}')
    lines.append('}')
    return '\n'.join(lines) + '\n'
open(__import__('os').path.join(__import__('os').path.dirname(__file__), '..', 'cases.json'), 'w').write(dump(out))
print(len(E), len(VAL), sum(len(x) for x in H.values()), len(DEC), 'total', len(E) + len(VAL) + sum(len(x) for x in H.values()) + len(DEC))
