import zlib from 'node:zlib';
import type { Page } from 'playwright-core';

/**
 * The colour the page shows at one viewport point, as `[r, g, b]`, read from a 1×1 screenshot:
 * what the user sees there, whatever element paints it (stacking, z-index, overlays).
 */
export async function pixelAt(page: Page, x: number, y: number): Promise<[number, number, number]> {
  const png = await page.screenshot({ clip: { x: Math.round(x), y: Math.round(y), width: 1, height: 1 } });
  return onePixel(png);
}

/** Decodes the one pixel of a 1×1 8-bit RGB(A) PNG (any row filter leaves one pixel as stored). */
function onePixel(png: Buffer): [number, number, number] {
  let offset = 8; // signature
  const data: Buffer[] = [];
  let colourType = -1;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      if (body.readUInt32BE(0) !== 1 || body.readUInt32BE(4) !== 1 || body[8] !== 8) {
        throw new Error('Expected a 1×1 PNG with 8 bits per channel.');
      }
      colourType = body[9]!;
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  if (colourType !== 2 && colourType !== 6) throw new Error(`Unexpected PNG colour type ${colourType}.`);
  const raw = zlib.inflateSync(Buffer.concat(data));
  return [raw[1]!, raw[2]!, raw[3]!]; // raw[0] is the row's filter byte
}

/** Whether two colours are within `tolerance` per channel. */
export function near(a: readonly number[], b: readonly number[], tolerance = 12): boolean {
  return a.every((value, index) => Math.abs(value - b[index]!) <= tolerance);
}
