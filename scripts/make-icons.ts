/**
 * Writes public/icon/{16,32,48,128}.png: a blue rounded square with a white chain-link glyph.
 * No image library: shapes are signed distance functions, anti-aliased by coverage, and the
 * PNG is encoded by hand with zlib. Run: npx tsx scripts/make-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZES = [16, 32, 48, 128] as const;
const BACKGROUND: Rgb = [29, 78, 216]; // Tailwind blue-700
const GLYPH: Rgb = [255, 255, 255];
type Rgb = [number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** RGBA pixels (row-major) to a PNG file. */
function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** Distance from p to a rounded square of half-side h and corner radius r (negative inside). */
function roundedSquare(x: number, y: number, h: number, r: number): number {
  const qx = Math.abs(x) - h + r;
  const qy = Math.abs(y) - h + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance to the outline (of width w) of a capsule from a to b with radius r. */
function capsuleRing(x: number, y: number, ax: number, ay: number, bx: number, by: number, r: number, w: number) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  const d = Math.hypot(x - ax - t * dx, y - ay - t * dy) - r;
  return Math.abs(d) - w / 2;
}

/** Coverage 0..1 of a shape from its distance, one pixel of anti-aliasing. */
const coverage = (distance: number, pixel: number) => Math.min(1, Math.max(0, 0.5 - distance / pixel));

function drawIcon(size: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const pixel = 2 / size; // the icon spans -1..1
  const stroke = Math.max(0.16, 2.6 * pixel);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = ((px + 0.5) / size) * 2 - 1;
      const y = ((py + 0.5) / size) * 2 - 1;
      const square = coverage(roundedSquare(x, y, 1, 0.36), pixel);
      // Two interlocking links along the diagonal from bottom-left to top-right.
      const link = Math.min(
        capsuleRing(x, y, -0.5, 0.5, -0.08, 0.08, 0.22, stroke),
        capsuleRing(x, y, 0.08, -0.08, 0.5, -0.5, 0.22, stroke),
      );
      const glyph = coverage(link, pixel);
      const offset = (py * size + px) * 4;
      for (let channel = 0; channel < 3; channel++) {
        rgba[offset + channel] = Math.round(BACKGROUND[channel]! * (1 - glyph) + GLYPH[channel]! * glyph);
      }
      rgba[offset + 3] = Math.round(square * 255);
    }
  }
  return rgba;
}

const outputDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icon');
mkdirSync(outputDir, { recursive: true });
for (const size of SIZES) {
  writeFileSync(join(outputDir, `${size}.png`), encodePng(size, drawIcon(size)));
  console.log(`wrote public/icon/${size}.png`);
}
