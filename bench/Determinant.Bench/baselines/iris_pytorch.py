"""The iris training of examples/iris/const.yaml as a plain PyTorch script: the baseline of `iris-vs-pytorch`.

5000 batches of 30 from the shuffled training set, a 4-16-3 MLP with ReLU, Adam(lr=1e-4) whose learning rate decays as
lr / (1 + 1e-6 * iteration), validation on the test set every 1000 batches, and a final checkpoint (model and optimizer
state), as the harness does. Prints one JSON line: the time from reading the data to the saved checkpoint, the final
validation accuracy and the torch version.

Usage: python3 iris_pytorch.py DATA_DIR CHECKPOINT_DIR [THREADS]
"""
import csv
import json
import os
import sys
import time

import torch
from torch import nn

BATCHES = 5000
BATCH_SIZE = 30
VALIDATE_EVERY = 1000


def read(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f)][1:]
    features = torch.tensor([[float(v) for v in r[:4]] for r in rows if r], dtype=torch.float32)
    labels = torch.tensor([int(r[4]) for r in rows if r], dtype=torch.int64)
    return features, labels


def validate(model, loss_fn, x, y):
    model.eval()
    losses, accuracies = [], []
    with torch.no_grad():
        for start in range(0, len(x), BATCH_SIZE):
            logits = model(x[start:start + BATCH_SIZE])
            target = y[start:start + BATCH_SIZE]
            losses.append(loss_fn(logits, target).item())
            accuracies.append((logits.argmax(1) == target).float().mean().item())
    model.train()
    return sum(losses) / len(losses), sum(accuracies) / len(accuracies)


def main():
    data_dir, checkpoint_dir = sys.argv[1], sys.argv[2]
    torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    torch.manual_seed(1)
    start = time.perf_counter()
    train_x, train_y = read(os.path.join(data_dir, "iris_training.csv"))
    test_x, test_y = read(os.path.join(data_dir, "iris_test.csv"))
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda i: 1.0 / (1.0 + 1e-6 * i))
    loss_fn = nn.CrossEntropyLoss()
    per_epoch = (len(train_x) + BATCH_SIZE - 1) // BATCH_SIZE
    generator = torch.Generator().manual_seed(1)
    accuracy = float("nan")
    order = None
    for step in range(BATCHES):
        in_epoch = step % per_epoch
        if in_epoch == 0:
            order = torch.randperm(len(train_x), generator=generator)
        index = order[in_epoch * BATCH_SIZE:(in_epoch + 1) * BATCH_SIZE]
        x, y = train_x[index], train_y[index]
        optimizer.zero_grad()
        logits = model(x)
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
        scheduler.step()
        _ = (loss.item(), (logits.argmax(1) == y).float().mean().item())
        if (step + 1) % VALIDATE_EVERY == 0:
            _, accuracy = validate(model, loss_fn, test_x, test_y)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, os.path.join(checkpoint_dir, "checkpoint.pt"))
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "val_categorical_accuracy": accuracy, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
