import { UidHasher, prepareSeed, hashToBucket } from '../../packages/engine/src/hashing.ts';
import { prng } from './stats.js';
const r = prng(3);
const h = new UidHasher();
let n = 0;
for (let it = 0; it < 200000; it++) {
  const len = Math.floor(r() * 40);
  let uid = '';
  for (let i = 0; i < len; i++) { const c = r(); uid += c < 0.7 ? String.fromCharCode(33 + Math.floor(r() * 90)) : c < 0.85 ? String.fromCharCode(0x100 + Math.floor(r() * 3000)) : c < 0.95 ? '😀' : String.fromCharCode(0xd800 + Math.floor(r() * 0x800)); }
  let seed = '';
  const sl = Math.floor(r() * 30);
  for (let i = 0; i < sl; i++) seed += r() < 0.9 ? String.fromCharCode(40 + Math.floor(r() * 80)) : 'é';
  h.reset(uid);
  for (let s = 0; s < 3; s++) { const sd = seed + 'x'.repeat(s); if (h.bucket(prepareSeed(sd)) !== hashToBucket(sd, uid)) throw new Error(`mismatch ${JSON.stringify(uid)} ${JSON.stringify(sd)}`); n++; }
}
console.log('hash ok', n);
