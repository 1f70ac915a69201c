import { DatasetError } from './dataset-error';
import { formatCount } from './byte-scaling';

/** The IDX element types by their type byte; only unsigned bytes (MNIST's) are read. */
const idxTypeNames: Record<number, string> = {
  0x08: 'unsigned bytes',
  0x09: 'signed bytes',
  0x0b: '16-bit integers',
  0x0c: '32-bit integers',
  0x0d: '32-bit floats',
  0x0e: '64-bit floats',
};

export const idxImageMagic = 0x00000803; // 2051: unsigned bytes, 3 dimensions (count, rows, columns)
export const idxLabelMagic = 0x00000801; // 2049: unsigned bytes, 1 dimension (count)

export interface IdxArray {
  dims: number[];
  /** The values after the header (a view, no copy). */
  values: Uint8Array;
}

const hex = (value: number) => `0x${value.toString(16).padStart(8, '0')}`;

/**
 * Checks an IDX file's magic number, header and length against what it must hold
 * ('images': magic 2051, 3 dimensions; 'labels': magic 2049, 1 dimension).
 */
export function parseIdx(bytes: Uint8Array, file: string, expected: 'images' | 'labels'): IdxArray {
  const expectedMagic = expected === 'images' ? idxImageMagic : idxLabelMagic;
  const expectedDims = expected === 'images' ? 3 : 1;
  const describeExpected = `an IDX ${expected === 'images' ? 'image' : 'label'} file starts with the magic number ${expectedMagic} (${hex(expectedMagic)})`;
  if (bytes.length < 4) {
    throw new DatasetError('dataset-truncated', `${file} is only ${bytes.length} bytes long, too short for an IDX header (${describeExpected}): download it again.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    const typeByte = bytes[2]!;
    const dimCount = bytes[3]!;
    if (bytes[0] === 0 && bytes[1] === 0 && typeByte !== 0x08 && idxTypeNames[typeByte] !== undefined) {
      throw new DatasetError(
        'dataset-unsupported',
        `${file} holds ${idxTypeNames[typeByte]} (IDX type byte ${hex(typeByte).slice(-2)} at byte 2); only unsigned-byte IDX files (type 0x08, as MNIST and Fashion-MNIST use) can be read.`,
      );
    }
    const swapped =
      magic === (expected === 'images' ? idxLabelMagic : idxImageMagic)
        ? ` That is the magic number of an IDX ${expected === 'images' ? 'label' : 'image'} file: are the image and label files swapped?`
        : bytes[0] === 0 && bytes[1] === 0 && typeByte === 0x08
          ? ` It declares ${dimCount} dimensions where ${expectedDims} are expected.`
          : ' This is not an IDX file, or it is damaged.';
    throw new DatasetError('dataset-corrupt', `${file} starts with the magic number ${magic} (${hex(magic)}) at byte 0, but ${describeExpected}.${swapped}`);
  }
  const headerLength = 4 + 4 * expectedDims;
  if (bytes.length < headerLength) {
    throw new DatasetError(
      'dataset-truncated',
      `${file} is ${bytes.length} bytes long but its IDX header alone needs ${headerLength} bytes: the file is cut short; download it again.`,
    );
  }
  const dims = Array.from({ length: expectedDims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const valueCount = dims.reduce((a, b) => a * b, 1);
  const expectedLength = headerLength + valueCount;
  const announced =
    expected === 'images'
      ? `${formatCount(dims[0]!)} images of ${dims[1]}×${dims[2]} pixels`
      : `${formatCount(dims[0]!)} labels`;
  if (bytes.length < expectedLength) {
    throw new DatasetError(
      'dataset-truncated',
      `${file} is cut short: its header announces ${announced}, which take ${formatCount(expectedLength)} bytes, but the file has only ${formatCount(bytes.length)} bytes (${formatCount(expectedLength - bytes.length)} missing). Download it again.`,
    );
  }
  if (bytes.length > expectedLength) {
    throw new DatasetError(
      'dataset-corrupt',
      `${file} has ${formatCount(bytes.length - expectedLength)} bytes more than its header announces (${announced} take ${formatCount(expectedLength)} bytes, the file has ${formatCount(bytes.length)}): the header or the file is damaged.`,
    );
  }
  return { dims, values: bytes.subarray(headerLength, expectedLength) };
}
