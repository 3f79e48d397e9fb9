/**
 * Sorting a Float64Array by least-significant-digit radix sort on the IEEE-754
 * bits, in the order of Float64Array.prototype.sort (ascending, -0 before +0):
 *
 *   key(x) = bits(x) XOR (sign(x) ? 0xFFFF…F : 0x8000…0)
 *
 * makes unsigned order of the 64-bit keys numeric order (Herf, "Radix tricks",
 * 2001). Keys are handled as two int32 words (V8 keeps int32 unboxed; uint32
 * words above 2³¹ would become doubles). One read-only pass builds every
 * digit's histogram and rejects non-finite values; then one stable counting
 * pass per digit, the first reading the raw bits and the last writing them
 * back, so no separate key or un-key pass. A digit that is the same for every
 * value (the exponent bits of a narrow range, the low mantissa bits of rounded
 * data) is skipped. The output is the comparison sort's, bit for bit, in O(n).
 *
 * 11-bit digits: on the benchmark machine they beat 8-bit digits (eight
 * passes) from 3,000 values on and 16-bit digits (four passes, but 256 KiB
 * histograms to clear and scatter into) up to 100,000 values and beyond.
 *
 * Needs a little-endian platform (every platform Node ships on; checked at
 * load, else the built-in sort is used). Scratch buffers are module state,
 * grown on demand, so a sort allocates only the array it returns (nothing,
 * given `into`). Synchronous and not re-entrant, as JavaScript is.
 */

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
/** Below this many values V8's built-in sort (std::sort in C++) wins; measured crossover. */
export const RADIX_MIN_LENGTH = 4096;
/** Digit width: six passes (the last 9 bits wide) over 2,048-bucket histograms that stay in L1/L2. */
const BITS = 11;
const DIGITS = 6;
const SIZE = 1 << BITS;

let bufA = new Int32Array(0);
let bufB = new Int32Array(0);
const hist = new Uint32Array(DIGITS * SIZE);

/**
 * A sorted copy of `values` (not mutated, unless `into` is `values` itself)
 * written into `into` when given (same length). Throws a RangeError naming
 * `where` and `label` on an empty sample or a non-finite value.
 */
export function sortFloat64(values: Float64Array, where: string, label: string, into?: Float64Array): Float64Array {
  const n = values.length;
  if (n === 0) throw new RangeError(`${where}: ${label} sample is empty`);
  const out = into ?? new Float64Array(n);
  if (out.length !== n) throw new RangeError(`${where}: output length ${out.length} differs from the sample's ${n}`);
  if (n < RADIX_MIN_LENGTH || !LITTLE_ENDIAN) {
    for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) throw nonFinite(where, label, values[i], i);
    if (out !== values) out.set(values);
    return out.sort();
  }
  const src = new Int32Array(values.buffer, values.byteOffset, 2 * n);
  const dst = new Int32Array(out.buffer, out.byteOffset, 2 * n);
  const bad = radixSort(src, dst, n, out === values);
  if (bad >= 0) throw nonFinite(where, label, values[bad], bad);
  return out;
}

function nonFinite(where: string, label: string, value: number, index: number): RangeError {
  return new RangeError(`${where}: ${label} sample has a non-finite value (${value}) at index ${index}`);
}

/** Returns the index of a non-finite value, or -1 once `dst` holds the sorted words of `src`. */
function radixSort(src: Int32Array, dst: Int32Array, n: number, inPlace: boolean): number {
  const h = hist;
  const bad = count11(src, h, n);
  if (bad >= 0) return bad;
  const active: number[] = [];
  for (let d = 0; d < DIGITS; d++) if (toOffsets(h, d * SIZE, SIZE, n)) active.push(d);
  if (active.length === 0) {
    if (!inPlace) dst.set(src);
    return -1;
  }
  if (bufA.length < 2 * n) {
    bufA = new Int32Array(2 * n);
    bufB = new Int32Array(2 * n);
  }
  let from = src;
  let keyed = false;
  for (let k = 0; k < active.length; k++) {
    const last = k === active.length - 1 && !(k === 0 && inPlace);
    const to = last ? dst : from === bufA ? bufB : bufA;
    const d = active[k];
    scatter(from, to, h, d * SIZE, d * BITS, SIZE - 1, n, keyed ? 0 : 1, last ? 1 : 0);
    from = to;
    keyed = !last;
  }
  if (keyed) unkey(from, dst, n);
  return -1;
}

/** Counts to start offsets in place; false (counts left half-converted) when one bucket holds every key. */
function toOffsets(hist: Uint32Array, start: number, size: number, n: number): boolean {
  let sum = 0;
  for (let d = start; d < start + size; d++) {
    const c = hist[d];
    if (c === n) return false;
    hist[d] = sum;
    sum += c;
  }
  return true;
}

// The key of raw words (lo, hi): m = hi >> 31 (all ones for a negative value);
// hi ^= m | 0x80000000; lo ^= m. Its inverse: m = ~(hi >> 31), same XORs.

function count11(src: Int32Array, h: Uint32Array, n: number): number {
  h.fill(0);
  for (let i = 0; i < n; i++) {
    let hi = src[2 * i + 1];
    if ((hi & 0x7ff00000) === 0x7ff00000) return i;
    const m = hi >> 31;
    const lo = src[2 * i] ^ m;
    hi ^= m | 0x80000000;
    h[lo & 0x7ff]++;
    h[2048 + ((lo >>> 11) & 0x7ff)]++;
    h[4096 + (((lo >>> 22) | (hi << 10)) & 0x7ff)]++;
    h[6144 + ((hi >>> 1) & 0x7ff)]++;
    h[8192 + ((hi >>> 12) & 0x7ff)]++;
    h[10240 + (hi >>> 23)]++;
  }
  return -1;
}

/**
 * One stable counting pass on the digit at bit `pos` (0–63) of the key,
 * `mask` wide; `keyIn`: `from` holds raw words to key first; `rawOut`: write
 * raw words (un-keyed) to `to`.
 */
function scatter(
  from: Int32Array,
  to: Int32Array,
  h: Uint32Array,
  base: number,
  pos: number,
  mask: number,
  n: number,
  keyIn: number,
  rawOut: number,
) {
  const inHigh = pos >= 32 ? 1 : 0;
  const shift = pos & 31;
  const cross = inHigh === 0 && shift + 32 - Math.clz32(mask) > 32 ? 1 : 0;
  const back = 32 - shift;
  for (let i = 0; i < n; i++) {
    let lo = from[2 * i];
    let hi = from[2 * i + 1];
    if (keyIn === 1) {
      const m = hi >> 31;
      lo ^= m;
      hi ^= m | 0x80000000;
    }
    const digit = (inHigh === 1 ? hi >>> shift : cross === 1 ? (lo >>> shift) | (hi << back) : lo >>> shift) & mask;
    const p = h[base + digit]++;
    if (rawOut === 1) {
      const m = ~(hi >> 31);
      lo ^= m;
      hi ^= m | 0x80000000;
    }
    to[2 * p] = lo;
    to[2 * p + 1] = hi;
  }
}

function unkey(keys: Int32Array, dst: Int32Array, n: number) {
  for (let i = 0; i < n; i++) {
    const hi = keys[2 * i + 1];
    const m = ~(hi >> 31);
    dst[2 * i] = keys[2 * i] ^ m;
    dst[2 * i + 1] = hi ^ (m | 0x80000000);
  }
}
