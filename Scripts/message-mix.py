#!/usr/bin/env python3
"""Writes a mix of COUNT messages drawn from every corpus of DATASETS_DIR, as
../shared/tools/peers/throughput.py draws its mix (the distinct texts of every *.tsv, sorted,
then drawn with random.Random(7)): the first COUNT messages of that draw.

usage: Scripts/message-mix.py DATASETS_DIR OUT COUNT
"""
import glob
import os
import random
import sys


def texts(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            _, _, text = line.rstrip("\n").partition("\t")
            if text:
                yield text


def main():
    datasets, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pool = sorted({t for p in glob.glob(os.path.join(datasets, "*", "*.tsv")) for t in texts(p)})
    rnd = random.Random(7)
    mix = [rnd.choice(pool) for _ in range(count)]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(mix) + "\n")


if __name__ == "__main__":
    main()
