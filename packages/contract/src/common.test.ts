import { describe, expect, it } from 'vitest';
import { unstorableTextMessage } from './common.js';

describe('unstorableTextMessage', () => {
  it('accepts ordinary text, emoji and other surrogate pairs', () => {
    for (const text of ['', 'plain', 'héllo', 'Rocket 🚀', '𝄞 clef', '\uD83D\uDE80']) expect(unstorableTextMessage(text)).toBeUndefined();
  });

  it('refuses NUL anywhere in the text', () => {
    for (const text of ['\u0000', 'a\u0000', '\u0000b', 'a\u0000b']) {
      expect(unstorableTextMessage(text)).toBe('expected text without NUL (U+0000) characters, received a string containing one');
    }
  });

  it('refuses a high or low surrogate without its partner, and a pair in the wrong order', () => {
    for (const text of ['\uD800', 'a\uD83D', '\uDE80b', '\uDE80\uD83D', 'x\uDBFF\uDBFF\uDFFF']) {
      expect(unstorableTextMessage(text)).toBe('expected text without unpaired UTF-16 surrogates (U+D800 to U+DFFF), received a string containing one');
    }
  });

  it('says what was received when told', () => {
    expect(unstorableTextMessage('k\u0000', 'the key "k\\u0000"')).toBe('expected text without NUL (U+0000) characters, received the key "k\\u0000"');
  });
});
