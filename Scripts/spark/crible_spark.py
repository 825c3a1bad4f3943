#!/usr/bin/env python3
"""Crible on Apache Spark: label message files with `crible label`, or train naive Bayes per
partition and merge the models.

Each partition's lines go through one `crible label` process (the contract of RDD.pipe and of
Hadoop Streaming: lines in on stdin, one line out per line in, in order), so the model is loaded
once per partition. The model file (and, on a cluster, the crible binary) travel with the job
through SparkContext.addFile.

Local form:
    python3 Scripts/spark/crible_spark.py label --model Models/offensive-zh-fr.crible \
        --crible .build/release/crible --master 'local[2]' INPUT OUTPUT_DIR
Cluster form (the binary must run on the workers: build it on the same OS, with the Swift
runtime and libopenblas installed there, or with `swift build -c release --static-swift-stdlib`):
    spark-submit --master yarn Scripts/spark/crible_spark.py label --model model.crible \
        --crible /path/to/crible hdfs:///messages/ hdfs:///labels/
Training per partition, then merging (naive Bayes only; counts add):
    python3 Scripts/spark/crible_spark.py train --crible .build/release/crible \
        --labels offensive,safe train.tsv merged.crible

OUTPUT_DIR receives part files of `label<TAB>probability<TAB>text` lines, in input order.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def label_partition(crible_name, model_name, extra):
    """Returns the function that labels one partition's lines through one crible process."""

    def run(lines):
        from pyspark import SparkFiles

        crible = SparkFiles.get(crible_name)
        os.chmod(crible, 0o755)
        command = [crible, "label", "-m", SparkFiles.get(model_name), "--with-text", "--threads", "1"] + extra
        with tempfile.TemporaryFile() as source:
            count = 0
            for line in lines:
                source.write(line.encode("utf-8"))
                source.write(b"\n")
                count += 1
            source.seek(0)
            done = subprocess.run(command, stdin=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"crible label failed ({done.returncode}): {done.stderr.decode('utf-8', 'replace')}")
        out = done.stdout.decode("utf-8").split("\n")
        if out and out[-1] == "":
            out.pop()
        if len(out) != count:
            raise RuntimeError(f"crible label wrote {len(out)} lines for {count}")
        return iter(out)

    return run


def train_partition(crible_name, train_args):
    """Returns the function that trains naive Bayes on one partition and yields the model bytes."""

    def run(index, lines):
        from pyspark import SparkFiles

        crible = SparkFiles.get(crible_name)
        os.chmod(crible, 0o755)
        with tempfile.TemporaryDirectory() as folder:
            data = os.path.join(folder, "part.tsv")
            with open(data, "w", encoding="utf-8") as f:
                count = sum(1 for line in lines if f.write(line + "\n"))
            if count == 0:
                return iter([])
            model = os.path.join(folder, "part.crible")
            done = subprocess.run([crible, "train", data, "-o", model] + train_args, capture_output=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"partition {index}: crible train failed: {done.stderr.decode('utf-8', 'replace')}")
            with open(model, "rb") as f:
                return iter([(index, f.read())])

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crible", default=".build/release/crible", help="the crible binary")
    parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's)")
    parser.add_argument("--partitions", type=int, default=None, help="minimum number of partitions")
    commands = parser.add_subparsers(dest="command", required=True)
    label = commands.add_parser("label", help="label a file or a folder of files")
    label.add_argument("--model", required=True)
    label.add_argument("input")
    label.add_argument("output")
    label.add_argument("extra", nargs="*", help="more `crible label` options, after --")
    train = commands.add_parser("train", help="train naive Bayes per partition and merge")
    train.add_argument("--labels", required=True, help="every label, comma-separated")
    train.add_argument("--alpha", default="0.3")
    train.add_argument("input")
    train.add_argument("output")
    args = parser.parse_args()

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(f"crible {args.command}")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    context = spark.sparkContext
    context.setLogLevel("ERROR")
    context.addFile(os.path.abspath(args.crible))
    crible_name = os.path.basename(args.crible)
    lines = context.textFile(args.input, minPartitions=args.partitions)
    if args.command == "label":
        context.addFile(os.path.abspath(args.model))
        labelled = lines.mapPartitions(label_partition(crible_name, os.path.basename(args.model), args.extra))
        labelled.saveAsTextFile(args.output)
    else:
        train_args = ["--algorithm", "naive-bayes", "--max-features", "0", "--alpha", args.alpha, "--labels", args.labels]
        models = lines.mapPartitionsWithIndex(train_partition(crible_name, train_args)).collect()
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for index, data in sorted(models):
                path = os.path.join(folder, f"part-{index:05d}.crible")
                with open(path, "wb") as f:
                    f.write(data)
                paths.append(path)
            done = subprocess.run([os.path.abspath(args.crible), "merge", *paths, "-o", args.output], check=False)
            if done.returncode != 0:
                sys.exit(done.returncode)
        print(f"merged {len(paths)} partition models into {args.output}", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
