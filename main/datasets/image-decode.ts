import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { DatasetError } from './dataset-error';

export interface DecodedImage {
  width: number;
  height: number;
  /** 8-bit RGBA, row-major. */
  rgba: Uint8Array;
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Images above this many pixels are refused before decoding (Pillow's decompression-bomb limit is about the same). */
export const maxImagePixels = 89_478_485;

/** Width and height from a PNG's IHDR or a JPEG's frame header, without decoding; undefined when not found. */
export function imageDimensions(bytes: Uint8Array, format: 'png' | 'jpeg'): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : undefined;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = view.getUint16(at + 2);
    // SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    at += 2 + length;
  }
  return undefined;
}

/** Decodes a PNG or JPEG by its content (not its file name). */
export function decodeImage(bytes: Uint8Array, file: string): DecodedImage {
  const format = sniffFormat(bytes);
  if (format === 'png' || format === 'jpeg') {
    const size = imageDimensions(bytes, format);
    if (size && size.width * size.height > maxImagePixels) {
      throw new DatasetError(
        'dataset-too-large',
        `${file} is ${size.width}×${size.height} pixels; images may have at most ${maxImagePixels} pixels (about 89 megapixels). Shrink it or remove it.`,
      );
    }
    try {
      if (format === 'png') {
        const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
      }
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxImagePixels / 1e6, maxMemoryUsageInMB: 1024 });
      return { width: image.width, height: image.height, rgba: image.data };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DatasetError('dataset-corrupt', `${file} cannot be decoded as ${format === 'png' ? 'PNG' : 'JPEG'} (${reason}): replace or remove the file.`);
    }
  }
  if (format !== null) {
    throw new DatasetError('dataset-unsupported', `${file} is a ${format} image; only PNG and JPEG are read: convert it to PNG or JPEG, or remove it.`);
  }
  throw new DatasetError('dataset-corrupt', `${file} is not a PNG or JPEG image (its first bytes match neither format): replace or remove the file.`);
}

function sniffFormat(bytes: Uint8Array): 'png' | 'jpeg' | 'GIF' | 'BMP' | 'WebP' | 'TIFF' | null {
  const startsWith = (signature: number[], at = 0) => signature.every((value, i) => bytes[at + i] === value);
  if (startsWith(pngSignature)) return 'png';
  if (startsWith([0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith([0x47, 0x49, 0x46, 0x38])) return 'GIF';
  if (startsWith([0x42, 0x4d])) return 'BMP';
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) return 'WebP';
  if (startsWith([0x49, 0x49, 0x2a, 0x00]) || startsWith([0x4d, 0x4d, 0x00, 0x2a])) return 'TIFF';
  return null;
}

/** RGBA bytes to floats in [0, 1] with 1 channel (luminance, ITU-R BT.601 weights) or 3 (RGB); alpha is dropped. */
export function rgbaToChannels(image: DecodedImage, channels: 1 | 3): Float32Array {
  const pixels = image.width * image.height;
  const out = new Float32Array(pixels * channels);
  const { rgba } = image;
  for (let p = 0; p < pixels; p++) {
    const r = rgba[p * 4]!;
    const g = rgba[p * 4 + 1]!;
    const b = rgba[p * 4 + 2]!;
    if (channels === 1) {
      // Integer weights summing to 1000 keep a grey pixel exactly v / 255.
      out[p] = (299 * r + 587 * g + 114 * b) / 255_000;
    } else {
      out[p * 3] = r / 255;
      out[p * 3 + 1] = g / 255;
      out[p * 3 + 2] = b / 255;
    }
  }
  return out;
}

/** True when every pixel has R = G = B (a grey image, whatever format it was stored in). */
export function isGrey(image: DecodedImage): boolean {
  const { rgba } = image;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i] !== rgba[i + 1] || rgba[i] !== rgba[i + 2]) return false;
  }
  return true;
}
