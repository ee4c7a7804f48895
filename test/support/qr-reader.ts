/**
 * Reads a QR code back from a PNG, independently of the `qrcode` package that drew it: pixels via
 * pngjs, then the module grid, format information (BCH-checked), mask and numeric, alphanumeric and byte segments read
 * by hand after ISO/IEC 18004. Small on purpose: versions 1–6 at error-correction levels L and M
 * (what a URL of up to 134 bytes needs), a clean unrotated image — it does no error correction,
 * so any drawing mistake fails the read instead of being repaired. A stand-in until a real decoder
 * (jsqr) is a dev dependency.
 */
import { createRequire } from 'node:module';
import { request } from 'undici';

// pngjs (qrcode's own dependency) ships no types; only its synchronous reader is used.
const { PNG } = createRequire(__filename)('pngjs') as { PNG: { sync: { read(png: Buffer): { width: number; height: number; data: Buffer } } } };

/** Fetches an image as bytes (the JSON test client reads bodies as text, which mangles a PNG). */
export async function fetchImage(url: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string; bytes: Buffer }> {
  const response = await request(url, { headers });
  return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), bytes: Buffer.from(await response.body.arrayBuffer()) };
}

/** Data codewords and (equal) blocks at levels L and M, versions 1–6 (ISO/IEC 18004 table 9). */
const LAYOUTS: Record<'L' | 'M', Record<number, { data: number; blocks: number }>> = {
  L: { 1: { data: 19, blocks: 1 }, 2: { data: 34, blocks: 1 }, 3: { data: 55, blocks: 1 }, 4: { data: 80, blocks: 1 }, 5: { data: 108, blocks: 1 }, 6: { data: 136, blocks: 2 } },
  M: { 1: { data: 16, blocks: 1 }, 2: { data: 28, blocks: 1 }, 3: { data: 44, blocks: 1 }, 4: { data: 64, blocks: 2 }, 5: { data: 86, blocks: 2 }, 6: { data: 108, blocks: 4 } },
};

const MASKS: ((r: number, c: number) => boolean)[] = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (_r, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

/** 5 format data bits followed by their 10 BCH check bits (generator 10100110111). */
function formatBch(data: number): number {
  let value = data << 10;
  for (let bit = 14; bit >= 10; bit--) if (value & (1 << bit)) value ^= 0b10100110111 << (bit - 10);
  return (data << 10) | value;
}

export interface ReadQr {
  version: number;
  errorCorrection: 'L' | 'M' | 'Q' | 'H';
  mask: number;
  text: string;
}

export function readQrPng(png: Buffer): ReadQr {
  const image = PNG.sync.read(png);
  const dark = (x: number, y: number): boolean => {
    const i = (y * image.width + x) * 4;
    return (image.data[i]! + image.data[i + 1]! + image.data[i + 2]!) / 3 < 128;
  };
  // The top-left finder's outer ring starts at the first dark pixel of the diagonal; its width is 7 modules.
  let start = 0;
  while (start < image.width && !dark(start, start)) start++;
  let end = start;
  while (end < image.width && dark(end, start)) end++;
  // The top-right finder's outer edge ends the symbol on the same row.
  let last = image.width - 1;
  while (last > end && !dark(last, start)) last--;
  const size = Math.round(((last + 1 - start) * 7) / (end - start));
  const moduleSize = (last + 1 - start) / size;
  const version = (size - 17) / 4;
  if (!Number.isInteger(version) || version < 1) throw new Error(`not a QR grid: ${size} modules of ${moduleSize} px`);
  const grid = Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => dark(Math.floor(start + (c + 0.5) * moduleSize), Math.floor(start + (r + 0.5) * moduleSize))));
  const at = (r: number, c: number) => grid[r]![c]!;

  for (const [r0, c0] of [[0, 0], [0, size - 7], [size - 7, 0]] as const) {
    for (let r = 0; r < 7; r++) {
      for (let c = 0; c < 7; c++) {
        const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
        if (at(r0 + r, c0 + c) !== (ring !== 2)) throw new Error(`no finder pattern at (${r0}, ${c0})`);
      }
    }
  }
  for (let i = 8; i < size - 8; i++) {
    if (at(6, i) !== (i % 2 === 0) || at(i, 6) !== (i % 2 === 0)) throw new Error('timing patterns broken');
  }

  // Format information, both copies, unmasked with 101010000010010 and BCH-checked.
  const bits = (cells: [number, number][]) => cells.reduce((value, [r, c]) => (value << 1) | (at(r, c) ? 1 : 0), 0);
  const first = bits([[8, 0], [8, 1], [8, 2], [8, 3], [8, 4], [8, 5], [8, 7], [8, 8], [7, 8], [5, 8], [4, 8], [3, 8], [2, 8], [1, 8], [0, 8]]);
  const second = bits([
    ...Array.from({ length: 7 }, (_, i): [number, number] => [size - 1 - i, 8]),
    ...Array.from({ length: 8 }, (_, i): [number, number] => [8, size - 8 + i]),
  ]);
  if (first !== second) throw new Error('the two copies of the format information differ');
  const format = first ^ 0b101010000010010;
  if (formatBch(format >> 10) !== format) throw new Error('format information fails its BCH check');
  const errorCorrection = (['M', 'L', 'H', 'Q'] as const)[format >> 13]!;
  const mask = (format >> 10) & 0b111;
  const layout = errorCorrection === 'L' || errorCorrection === 'M' ? LAYOUTS[errorCorrection][version] : undefined;
  if (layout === undefined) throw new Error(`this reader reads versions 1–6 at levels L and M, not ${version}-${errorCorrection}`);

  const isFunction = (r: number, c: number): boolean => {
    if (r <= 8 && c <= 8) return true; // top-left finder, separator, format
    if (r <= 8 && c >= size - 8) return true; // top-right
    if (r >= size - 8 && c <= 8) return true; // bottom-left, dark module
    if (r === 6 || c === 6) return true; // timing
    const align = size - 7;
    return version >= 2 && Math.abs(r - align) <= 2 && Math.abs(c - align) <= 2;
  };
  const stream: number[] = [];
  let upward = true;
  for (let right = size - 1; right > 0; right -= 2) {
    if (right === 6) right--;
    for (let i = 0; i < size; i++) {
      const r = upward ? size - 1 - i : i;
      for (const c of [right, right - 1]) if (!isFunction(r, c)) stream.push(at(r, c) !== MASKS[mask]!(r, c) ? 1 : 0);
    }
    upward = !upward;
  }
  const codewords = Array.from({ length: layout.data }, (_, i) => stream.slice(i * 8, i * 8 + 8).reduce((value, bit) => (value << 1) | bit, 0));
  // Equal blocks are interleaved codeword by codeword.
  const perBlock = layout.data / layout.blocks;
  const data = Array.from({ length: layout.blocks }, (_, block) => Array.from({ length: perBlock }, (_, i) => codewords[i * layout.blocks + block]!)).flat();
  const dataBits = data.flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >> (7 - i)) & 1));
  const read = (offset: number, length: number) => dataBits.slice(offset, offset + length).reduce((value, bit) => (value << 1) | bit, 0);
  // Segments (numeric, alphanumeric, byte) until the terminator; count lengths of versions 1–9.
  const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  let text = '';
  let offset = 0;
  while (offset + 4 <= dataBits.length) {
    const mode = read(offset, 4);
    offset += 4;
    if (mode === 0) break;
    if (mode === 0b0001) {
      let count = read(offset, 10);
      offset += 10;
      for (; count >= 3; count -= 3, offset += 10) text += String(read(offset, 10)).padStart(3, '0');
      if (count === 2) text += String(read(offset, 7)).padStart(2, '0');
      if (count === 1) text += String(read(offset, 4));
      offset += count === 2 ? 7 : count === 1 ? 4 : 0;
    } else if (mode === 0b0010) {
      let count = read(offset, 9);
      offset += 9;
      for (; count >= 2; count -= 2, offset += 11) {
        const pair = read(offset, 11);
        text += ALPHANUMERIC[Math.floor(pair / 45)]! + ALPHANUMERIC[pair % 45]!;
      }
      if (count === 1) {
        text += ALPHANUMERIC[read(offset, 6)]!;
        offset += 6;
      }
    } else if (mode === 0b0100) {
      const count = read(offset, 8);
      offset += 8;
      text += Buffer.from(Array.from({ length: count }, (_, i) => read(offset + i * 8, 8))).toString('latin1');
      offset += count * 8;
    } else {
      throw new Error(`unsupported segment mode ${mode.toString(2)}`);
    }
  }
  return { version, errorCorrection, mask, text };
}
