#!/usr/bin/env python3
"""Regenerate digits_training.csv and digits_test.csv.

Source: the 8x8 handwritten digits (UCI ML hand-written digits, test part: 1797
images) as shipped with scikit-learn (Debian package python3-sklearn). Each
pixel is an integer 0..16. The split is stratified: per digit, the first 80 %
of a permutation (rounded down) go to training and the rest to test. The
permutation comes from NumPy's legacy RandomState, whose stream NumPy keeps
stable across releases, so the files come out the same byte for byte.

Usage: python3 make_digits_csv.py [output-directory]   (default: this directory)
"""

import os
import sys

import numpy as np
from sklearn.datasets import load_digits

SEED = 20240602
TRAIN_FRACTION = 0.8
HEADER = ",".join([f"pixel_{i}" for i in range(64)] + ["digit"])


def split(labels, rng):
    """Return (train, test) row indices: a fixed, stratified split."""
    train, test = [], []
    for label in sorted(set(labels.tolist())):
        rows = np.flatnonzero(labels == label)
        rows = rows[rng.permutation(len(rows))]
        cut = int(len(rows) * TRAIN_FRACTION)
        train.extend(rows[:cut].tolist())
        test.extend(rows[cut:].tolist())
    # Interleave the digits so that a file read in order is not sorted by label.
    train = [train[i] for i in rng.permutation(len(train))]
    test = [test[i] for i in rng.permutation(len(test))]
    return train, test


def write(path, images, labels, rows):
    with open(path, "w", encoding="ascii", newline="\n") as out:
        out.write(HEADER + "\n")
        for row in rows:
            values = [str(int(v)) for v in images[row]]
            out.write(",".join(values + [str(int(labels[row]))]) + "\n")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    digits = load_digits()
    rng = np.random.RandomState(SEED)
    train, test = split(digits.target, rng)
    write(os.path.join(out_dir, "digits_training.csv"), digits.data, digits.target, train)
    write(os.path.join(out_dir, "digits_test.csv"), digits.data, digits.target, test)


if __name__ == "__main__":
    main()
