import type { ExportModel } from './export-model';
import { pythonSettings } from './python-training-data';
import { pythonNumpyData } from './python-numpy-data';
import { trainingPlan } from './training-plan';

// TensorFlow.js' optimizers with their defaults, spelled in PyTorch.
const optimizers: Record<string, string> = {
  sgd: 'torch.optim.SGD(parameters, lr=lr)',
  momentum: 'torch.optim.SGD(parameters, lr=lr, momentum=0.9)',
  rmsprop: 'torch.optim.RMSprop(parameters, lr=lr, alpha=0.9, eps=1e-7)',
  adagrad: 'torch.optim.Adagrad(parameters, lr=lr, initial_accumulator_value=0.1)',
  adam: 'torch.optim.Adam(parameters, lr=lr, eps=1e-7)',
};

// Keras losses on probabilities (the model ends with its own activation), clipped as Keras clips them.
const losses: Record<string, string[]> = {
  categoricalCrossentropy: [
    '    probabilities = outputs / outputs.sum(dim=-1, keepdim=True)',
    '    return -(targets * torch.log(probabilities.clamp(1e-7, 1 - 1e-7))).sum(dim=-1).mean()',
  ],
  sparseCategoricalCrossentropy: ['    return F.nll_loss(torch.log(outputs.clamp(1e-7, 1 - 1e-7)), targets)'],
  binaryCrossentropy: ['    return F.binary_cross_entropy(outputs.clamp(1e-7, 1 - 1e-7), targets)'],
  meanSquaredError: ['    return F.mse_loss(outputs, targets)'],
};

function accuracyLines(plan: ReturnType<typeof trainingPlan>): string[] {
  if (!plan.classification) return ['    return 0.0'];
  if (plan.labels === 'single') return ['    return ((outputs > 0.5).float() == targets).float().sum().item()'];
  const truth = plan.labels === 'indices' ? 'targets' : 'targets.argmax(dim=-1)';
  return [`    return (outputs.argmax(dim=-1) == ${truth}).float().sum().item()`];
}

/**
 * Training code for the PyTorch export: numpy-only data readers, and a loop that runs on one
 * process or, launched by torchrun, on several with DistributedDataParallel (gloo on CPU, nccl on
 * CUDA). `--batch` is the global batch: each of N processes takes batch/N examples of it, so one
 * process and N processes take the same optimizer steps on the same examples.
 */
export function pytorchTraining(model: ExportModel): string[] {
  const plan = trainingPlan(model);
  const s = plan.settings;
  const loop = String.raw`
def compute_loss(outputs, targets):
    """Keras' ${s.loss} on the model's outputs."""
${losses[s.loss]!.join('\n')}


def count_correct(outputs, targets):
${accuracyLines(plan).join('\n')}


def _evaluate(net, x, y, device, rank, world, batch_size):
    """Loss sum, correct count and example count over this process's share (every world-th example)."""
    net.eval()
    totals = torch.zeros(3, dtype=torch.float64)
    with torch.no_grad():
        for start in range(rank * batch_size, len(x), batch_size * world):
            xb, yb = x[start:start + batch_size].to(device), y[start:start + batch_size].to(device)
            outputs = net(xb)
            totals += torch.tensor([compute_loss(outputs, yb).item() * len(xb), count_correct(outputs, yb), len(xb)], dtype=torch.float64)
    return totals


def train(model=None, epochs=None, batch_size=None, data=None, out=None, device="cpu", limit=None, download=False, seed=0, report=print):
    """Trains as Keras' fit does (the last validation_split of the examples held out, reshuffled every epoch).

    Run under torchrun, each process trains on its share of every global batch and the gradients are
    averaged (DistributedDataParallel); metrics are summed over all processes; rank 0 writes the checkpoint.
    """
    epochs = epochs or TRAINING_SETTINGS["epochs"]
    batch_size = batch_size or TRAINING_SETTINGS["batch_size"]
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and world > 1:
        device = f"cuda:{local_rank}"
        torch.cuda.set_device(local_rank)
    if world > 1:
        dist.init_process_group("nccl" if device.startswith("cuda") else "gloo")
    if batch_size % world:
        raise SystemExit(f"--batch {batch_size} must be a multiple of the {world} processes")
    torch.manual_seed(seed)
    model = (model or build_model()).to(device)
    net = model
    if world > 1:
        net = DistributedDataParallel(model, device_ids=[local_rank] if device.startswith("cuda") else None)
    x, y = (torch.from_numpy(a) for a in load_data(data, "train", download))
    if limit:
        x, y = x[:limit], y[:limit]
    try:
        test_x, test_y = (torch.from_numpy(a) for a in load_data(data, "test", download))
    except DataError:
        test_x = test_y = None
    held_out = int(len(x) * TRAINING_SETTINGS["validation_split"])
    split = len(x) - held_out
    train_set = TensorDataset(x[:split], y[:split])
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=TRAINING_SETTINGS["shuffle"], seed=seed)
    loader = DataLoader(train_set, batch_size=batch_size // world, sampler=sampler)
    lr = TRAINING_SETTINGS["learning_rate"]
    parameters = [p for p in net.parameters() if p.requires_grad]
    optimizer = ${optimizers[s.optimizer]}
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        net.train()
        totals = torch.zeros(3, dtype=torch.float64)
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            outputs = net(xb)
            loss = compute_loss(outputs, yb)
            loss.backward()
            optimizer.step()
            totals += torch.tensor([loss.item() * len(xb), count_correct(outputs.detach(), yb), len(xb)], dtype=torch.float64)
        figures = {"epoch": epoch + 1, "epochs": epochs, "processes": world}
        parts = [("loss", "accuracy", totals)]
        if held_out:
            parts.append(("validation_loss", "validation_accuracy", _evaluate(net, x[split:], y[split:], device, rank, world, batch_size)))
        if test_x is not None:
            parts.append(("test_loss", "test_accuracy", _evaluate(net, test_x, test_y, device, rank, world, batch_size)))
        for loss_name, accuracy_name, sums in parts:
            if world > 1:
                dist.all_reduce(sums)
            figures[loss_name] = sums[0].item() / max(sums[2].item(), 1)
${plan.classification ? '            figures[accuracy_name] = sums[1].item() / max(sums[2].item(), 1)\n' : ''}        if rank == 0:
            report(f"epoch {epoch + 1}/{epochs}: loss {figures['loss']:.6f}" + "".join(f", {k.replace('_', ' ')} {v:.6f}" for k, v in figures.items() if k not in ("epoch", "epochs", "processes", "loss")))
            if out:
                os.makedirs(out, exist_ok=True)
                checkpoint = os.path.join(out, "checkpoint.pt")
                torch.save({"epoch": epoch + 1, "model": model.state_dict(), "optimizer": optimizer.state_dict(), "figures": figures}, checkpoint + ".tmp")
                os.replace(checkpoint + ".tmp", checkpoint)
        train.figures = figures
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    model.eval()
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description="Trains the network; launch with torchrun --nproc_per_node N to train on N processes.")
    parser.add_argument("--epochs", type=int, default=TRAINING_SETTINGS["epochs"])
    parser.add_argument("--batch", type=int, default=TRAINING_SETTINGS["batch_size"], help="global batch size, split over the processes")
    parser.add_argument("--data", default=TRAINING_SETTINGS["dataset"], help="mnist, xor, idx:DIR, cifar10:DIR, csv:FILE or folder:DIR")
    parser.add_argument("--out", default=None, help="folder for rank 0's checkpoint.pt after every epoch")
    parser.add_argument("--device", default="cpu", help="cpu, cuda or auto")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N examples only")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--download", action="store_true", help="fetch MNIST with torchvision instead of the files beside this script")
    parser.add_argument("--json", action="store_true", help="print the last epoch's figures as one JSON line")
    args = parser.parse_args(argv)
    try:
        train(epochs=args.epochs, batch_size=args.batch, data=args.data, out=args.out, device=args.device, limit=args.limit, download=args.download, seed=args.seed)
    except DataError as error:
        raise SystemExit(f"data set error: {error}") from None
    if args.json and int(os.environ.get("RANK", "0")) == 0:
        print(json.dumps(train.figures))
`;
  return [
    'import argparse',
    'import gzip',
    'import struct',
    'import zlib',
    '',
    'import torch.distributed as dist',
    'from torch.nn.parallel import DistributedDataParallel',
    'from torch.utils.data import DataLoader, DistributedSampler, TensorDataset',
    '',
    ...pythonSettings(plan),
    ...pythonNumpyData(plan),
    '',
    '',
    ...loop.split('\n').slice(1, -1),
  ];
}
