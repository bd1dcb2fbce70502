import { describe, expect, it } from 'vitest';
import { ImportStaging } from '../../../lib/backend/import-staging';
import { base64ToBytes, bytesToBase64 } from '../../../lib/imports/panel-upload';

const info = (sizeBytes: number) => ({ fileName: 'events.csv', sizeBytes, headerLanguage: 'en' as const });
let next = 0;
const staging = () => new ImportStaging(() => `upload-${++next}`);

describe('ImportStaging', () => {
  it('assembles the chunks in order into the announced file', async () => {
    const bytes = new Uint8Array(70_000).map((_, index) => (index * 7) % 256);
    const stage = staging();
    const id = stage.begin(info(bytes.length));
    expect(stage.append(id, 0, bytesToBase64(bytes.subarray(0, 40_000)))).toBe(40_000);
    expect(stage.append(id, 40_000, bytesToBase64(bytes.subarray(40_000)))).toBe(70_000);
    const { blob, info: kept } = stage.finish(id);
    expect(kept.fileName).toBe('events.csv');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
  });

  it('refuses a chunk out of order, and one past the announced size', () => {
    const stage = staging();
    const id = stage.begin(info(6));
    expect(() => stage.append(id, 3, bytesToBase64(new Uint8Array(3)))).toThrow(/byte 3 arrived, but byte 0/);
    expect(() => stage.append(id, 0, bytesToBase64(new Uint8Array(7)))).toThrow(/more than its 6 bytes/);
  });

  it('refuses to finish a file that did not fully arrive', () => {
    const stage = staging();
    const id = stage.begin(info(6));
    stage.append(id, 0, bytesToBase64(new Uint8Array(4)));
    expect(() => stage.finish(id)).toThrow('Only 4 of the file');
    // The staging was released: the upload is gone.
    expect(() => stage.finish(id)).toThrow(/interrupted/);
  });

  it('keeps one upload at a time: a new one drops the previous', () => {
    const stage = staging();
    const first = stage.begin(info(3));
    stage.begin(info(3));
    expect(() => stage.append(first, 0, bytesToBase64(new Uint8Array(3)))).toThrow(/interrupted/);
  });
});

describe('base64 round trip', () => {
  it('keeps every byte value, across the 32 KB slices of the encoder', () => {
    const bytes = new Uint8Array(100_003).map((_, index) => index % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
  });
});
