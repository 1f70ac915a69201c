import { pyLiteral } from './literals';
import type { TrainingPlan } from './training-plan';

/** Folder beside an exported training script (named after it) that holds the built-in MNIST digits as IDX files. */
export function builtinDataFolder(scriptPath: string): string {
  return `${scriptPath.replace(/\.py$/i, '')}_data`;
}

/**
 * Python readers for every data-set reference the app knows, with numpy and the standard library
 * only, so an exported training script runs offline on a cluster. `load_data(ref, split)` returns
 * x as float32 (n, *INPUT_SHAPE) in [0, 1] (features as they are for CSV) and y as the loss wants.
 */
export function pythonNumpyData(plan: TrainingPlan): string[] {
  const labelLines =
    plan.labels === 'indices'
      ? ['    return labels.astype(np.int64)']
      : plan.labels === 'single'
        ? ['    return labels.astype(np.float32).reshape(-1, 1)']
        : [`    return np.eye(max(classes, ${plan.outputUnits}), dtype=np.float32)[labels]`];
  const code = String.raw`
INPUT_SHAPE = ${pyLiteral(plan.inputShape)}
# The built-in "mnist" data set: the app's 10,000 digits, written beside this script as IDX files by
# "netweave export … --training". Other references name files of their own.
BUILTIN_DATA = os.path.splitext(os.path.abspath(__file__))[0] + "_data"


class DataError(Exception):
    """A data set that cannot be read; the message says which file and why."""


def _read_maybe_gzip(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _find(folder, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    raise DataError(f"{folder} has no {name} (or {name}.gz)")


def read_idx(path):
    """One IDX file (big-endian header: magic, then one count per axis, then unsigned bytes)."""
    data = _read_maybe_gzip(path)
    if len(data) < 8 or data[0] != 0 or data[1] != 0 or data[2] != 8:
        raise DataError(f"{path} is not an IDX file of unsigned bytes")
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if values.size != int(np.prod(dims)):
        raise DataError(f"{path} holds {values.size} bytes but its header announces {int(np.prod(dims))}")
    return values.reshape(dims)


def load_idx(folder, split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(_find(folder, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(_find(folder, f"{prefix}-labels-idx1-ubyte"))
    if len(images) != len(labels):
        raise DataError(f"{folder}: {len(images)} {prefix} images but {len(labels)} labels")
    return images[..., None].astype(np.float32) / 255.0, labels.astype(np.int64), 10


def load_cifar10(folder, split):
    inner = os.path.join(folder, "cifar-10-batches-bin")
    folder = inner if os.path.isdir(inner) else folder
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] if split == "train" else ["test_batch.bin"]
    records = []
    for name in names:
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            raise DataError(f"{folder} has no {name}")
        data = np.fromfile(path, dtype=np.uint8)
        if data.size % 3073:
            raise DataError(f"{path} is not a whole number of 3,073-byte CIFAR-10 records")
        records.append(data.reshape(-1, 3073))
    data = np.concatenate(records)
    images = data[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images.astype(np.float32) / 255.0, data[:, 0].astype(np.int64), 10


def _holdout(n, split):
    # Every fifth example is the test split where the source has none of its own.
    index = np.arange(n)
    return index[index % 5 != 4] if split == "train" else index[index % 5 == 4]


def load_csv(spec, split):
    path, _, label_name = spec.partition("#label=")
    with open(path, encoding="utf-8-sig") as f:
        rows = [line.rstrip("\r\n").split(",") for line in f if line.strip()]
    if len(rows) < 2:
        raise DataError(f"{path} needs a header row and at least one example")
    header = [c.strip() for c in rows[0]]
    if label_name:
        if label_name not in header:
            raise DataError(f"{path} has no column {label_name!r}")
        label_col = header.index(label_name)
    else:
        label_col = header.index("label") if "label" in header else len(header) - 1
    texts = [row[label_col].strip() for row in rows[1:]]
    classes = sorted(set(texts), key=lambda t: (0, float(t)) if _is_number(t) else (1, t))
    features = []
    for line, row in enumerate(rows[1:], start=2):
        try:
            values = [float(c) for i, c in enumerate(row) if i != label_col]
        except ValueError:
            raise DataError(f"{path}, line {line}: feature columns must hold numbers") from None
        if not all(np.isfinite(values)):
            raise DataError(f"{path}, line {line}: a feature is not a finite number")
        features.append(values)
    x = np.array(features, dtype=np.float32)
    y = np.array([classes.index(t) for t in texts], dtype=np.int64)
    keep = _holdout(len(x), split)
    return x[keep], y[keep], len(classes)


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def decode_png(path):
    """8-bit, non-interlaced PNG (grey, grey+alpha, RGB, RGBA) with zlib and numpy only."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise DataError(f"{path} is not a PNG file")
    pos, idat, width = 8, [], 0
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace or color not in (0, 2, 4, 6):
                raise DataError(f"{path}: only 8-bit non-interlaced grey or RGB(A) PNGs can be read without Pillow")
            if width * height > 89_478_485:
                raise DataError(f"{path}: {width}×{height} pixels is above the limit of 89,478,485")
            channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if not width:
        raise DataError(f"{path} has no PNG header")
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8)
    stride = width * channels
    raw = raw.reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.int32)
    for r in range(height):
        kind, line = raw[r, 0], raw[r, 1:].astype(np.int32)
        above = out[r - 1] if r else np.zeros(stride, dtype=np.int32)
        if kind == 0:
            out[r] = line
        elif kind == 2:
            out[r] = (line + above) & 255
        elif kind in (1, 3, 4):
            row = out[r]
            for i in range(stride):
                left = row[i - channels] if i >= channels else 0
                if kind == 1:
                    predictor = left
                elif kind == 3:
                    predictor = (left + above[i]) >> 1
                else:
                    upper_left = above[i - channels] if i >= channels else 0
                    p = left + above[i] - upper_left
                    pa, pb, pc = abs(p - left), abs(p - above[i]), abs(p - upper_left)
                    predictor = left if pa <= pb and pa <= pc else above[i] if pb <= pc else upper_left
                row[i] = (line[i] + predictor) & 255
        else:
            raise DataError(f"{path}: unknown PNG row filter {kind}")
    return out.reshape(height, width, channels).astype(np.uint8)


def load_image(path):
    if path.lower().endswith(".png"):
        return decode_png(path)
    try:
        from PIL import Image  # JPEG needs Pillow; PNG does not.
    except ImportError:
        raise DataError(f"{path}: reading JPEG images needs Pillow (pip install pillow)") from None
    return np.asarray(Image.open(path).convert("RGB"))


def resize_bilinear(image, height, width):
    h, w = image.shape[:2]
    if (h, w) == (height, width):
        return image.astype(np.float32)
    ys = np.clip((np.arange(height) + 0.5) * h / height - 0.5, 0, h - 1)
    xs = np.clip((np.arange(width) + 0.5) * w / width - 0.5, 0, w - 1)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
    fy, fx = (ys - y0)[:, None, None], (xs - x0)[None, :, None]
    img = image.astype(np.float32)
    top = img[y0][:, x0] * (1 - fx) + img[y0][:, x1] * fx
    bottom = img[y1][:, x0] * (1 - fx) + img[y1][:, x1] * fx
    return top * (1 - fy) + bottom * fy


def load_folder(folder, split):
    classes = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)))
    if len(classes) < 2:
        raise DataError(f"{folder} needs one sub-folder per class, at least two")
    height, width, channels = INPUT_SHAPE
    images, labels = [], []
    for label, name in enumerate(classes):
        for file in sorted(os.listdir(os.path.join(folder, name))):
            if not file.lower().endswith((".png", ".jpg", ".jpeg")):
                continue
            image = load_image(os.path.join(folder, name, file))
            image = image[..., :3] if image.shape[2] in (3, 4) else image[..., :1]
            if channels == 1 and image.shape[2] == 3:
                image = image.mean(axis=2, keepdims=True)
            elif channels == 3 and image.shape[2] == 1:
                image = np.repeat(image, 3, axis=2)
            images.append(resize_bilinear(image, height, width) / 255.0)
            labels.append(label)
    x, y = np.stack(images).astype(np.float32), np.array(labels, dtype=np.int64)
    keep = _holdout(len(x), split)
    return x[keep], y[keep], len(classes)


def load_mnist(split, download=False):
    if download:
        from torchvision.datasets import MNIST  # only with --download

        data = MNIST("data", train=split == "train", download=True)
        return data.data.numpy()[..., None].astype(np.float32) / 255.0, data.targets.numpy().astype(np.int64), 10
    if not os.path.isdir(BUILTIN_DATA):
        raise DataError(
            f"the built-in MNIST digits are not beside this script ({BUILTIN_DATA}): export it with "
            '"netweave export … --to pytorch --training -o FILE", which writes them, or pass --download'
        )
    return load_idx(BUILTIN_DATA, split)


def load_xor(split):
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    return x, np.array([0, 1, 1, 0], dtype=np.int64), 2


def encode_labels(labels, classes):
${labelLines.join('\n')}


def load_data(ref=None, split="train", download=False):
    """x as float32 (n, *INPUT_SHAPE) and y as the loss expects, for the data-set reference (default: the project's)."""
    ref = ref or TRAINING_SETTINGS["dataset"]
    kind, _, location = ref.partition(":")
    readers = {"idx": load_idx, "cifar10": load_cifar10, "csv": load_csv, "folder": load_folder}
    if ref == "mnist":
        x, labels, classes = load_mnist(split, download)
    elif ref == "xor":
        x, labels, classes = load_xor(split)
    elif kind in readers and location:
        x, labels, classes = readers[kind](location, split)
    else:
        raise DataError(f"unknown data-set reference {ref!r}: use mnist, xor, idx:DIR, cifar10:DIR, csv:FILE or folder:DIR")
    if int(np.prod(x.shape[1:])) != int(np.prod(INPUT_SHAPE)):
        raise DataError(f"{ref} examples have shape {x.shape[1:]} but the model takes {INPUT_SHAPE}")
    return x.reshape((-1,) + INPUT_SHAPE), encode_labels(labels, classes)
`;
  return code.split('\n').slice(1, -1);
}
