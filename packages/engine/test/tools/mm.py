def murmur3(data: bytes, seed=0):
    c1, c2 = 0xcc9e2d51, 0x1b873593
    h = seed & 0xffffffff
    n = len(data); nb = n // 4
    for i in range(nb):
        k = int.from_bytes(data[4*i:4*i+4], 'little')
        k = (k * c1) & 0xffffffff; k = ((k << 15) | (k >> 17)) & 0xffffffff; k = (k * c2) & 0xffffffff
        h ^= k; h = ((h << 13) | (h >> 19)) & 0xffffffff; h = (h * 5 + 0xe6546b64) & 0xffffffff
    tail = data[4*nb:]; k = 0
    if len(tail) >= 3: k ^= tail[2] << 16
    if len(tail) >= 2: k ^= tail[1] << 8
    if len(tail) >= 1:
        k ^= tail[0]; k = (k * c1) & 0xffffffff; k = ((k << 15) | (k >> 17)) & 0xffffffff; k = (k * c2) & 0xffffffff; h ^= k
    h ^= n; h ^= h >> 16; h = (h * 0x85ebca6b) & 0xffffffff; h ^= h >> 13; h = (h * 0xc2b2ae35) & 0xffffffff; h ^= h >> 16
    return h
def bucket(seed, uid):
    return murmur3((seed + '|' + uid).encode('utf-8')) % 10000
def pick(b, variants):
    cum = 0
    for su, td in variants:
        cum += td if td > 0 else 0
        if b < min(10000, round(cum * 100)): return su
    return None
if __name__ == '__main__':
    for s, seed in [(b'', 0), (b'hello', 0), (b'Hello, world!', 0), (b'The quick brown fox jumps over the lazy dog', 0), (b'', 1), (b'', 0xffffffff)]:
        print(s, seed, hex(murmur3(s, seed)))
