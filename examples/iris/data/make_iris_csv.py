#!/usr/bin/env python3
"""Regenerate iris_training.csv (120 rows) and iris_test.csv (30 rows).

Source: the public Iris data set (Fisher, 1936) as shipped with scikit-learn
(Debian package python3-sklearn). The split is stratified, 40 training and 10
test rows per class, drawn with NumPy's legacy RandomState, whose stream NumPy
keeps stable across releases, so the files come out the same byte for byte.

Usage: python3 make_iris_csv.py [output-directory]   (default: this directory)
"""

import os
import sys

import numpy as np
from sklearn.datasets import load_iris

SEED = 20240601
TRAIN_PER_CLASS = 40
TEST_PER_CLASS = 10
HEADER = "sepal_length,sepal_width,petal_length,petal_width,species"


def split(labels, rng):
    """Return (train, test) row indices: a fixed, stratified split."""
    train, test = [], []
    for label in sorted(set(labels.tolist())):
        rows = np.flatnonzero(labels == label)
        assert len(rows) == TRAIN_PER_CLASS + TEST_PER_CLASS, (label, len(rows))
        rows = rows[rng.permutation(len(rows))]
        train.extend(rows[:TRAIN_PER_CLASS].tolist())
        test.extend(rows[TRAIN_PER_CLASS:].tolist())
    # Interleave the classes so that a file read in order is not sorted by label.
    train = [train[i] for i in rng.permutation(len(train))]
    test = [test[i] for i in rng.permutation(len(test))]
    return train, test


def write(path, features, labels, rows):
    with open(path, "w", encoding="ascii", newline="\n") as out:
        out.write(HEADER + "\n")
        for row in rows:
            # repr() gives the shortest round-tripping text: 5.1, 3.0, 0.2.
            values = [repr(float(v)) for v in features[row]]
            out.write(",".join(values + [str(int(labels[row]))]) + "\n")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    iris = load_iris()
    rng = np.random.RandomState(SEED)
    train, test = split(iris.target, rng)
    write(os.path.join(out_dir, "iris_training.csv"), iris.data, iris.target, train)
    write(os.path.join(out_dir, "iris_test.csv"), iris.data, iris.target, test)


if __name__ == "__main__":
    main()
