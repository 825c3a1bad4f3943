#!/usr/bin/env python3
"""Converts a public corpus from its source repository's own format into Crible's format.

usage: Datasets/prepare/prepare.py NAME SOURCE_DIR OUT_DIR
       Datasets/prepare/prepare.py --list

NAME is one of the corpora catalogued in Datasets/README.md; SOURCE_DIR is a checkout of its
source repository (the commit the catalogue names); OUT_DIR receives train.tsv, test.tsv and,
when the source has one, dev.tsv: `label<TAB>text` lines, UTF-8, labels as the catalogue gives
them. Every converter applies the same cleaning: line breaks and tabs inside a text become one
space, surrounding whitespace goes, empty texts are dropped, exact duplicates inside a split
are dropped, texts that carry both labels are dropped, and test rows whose text is in train are
dropped. Where the source has no split, rows are split 80/20 stratified by label with
random.Random(13) (by template for HateCheck). Standard library only.
"""
import csv, glob, json, os, random, re, sys

csv.field_size_limit(1 << 30)
BREAKS = re.compile(r"[\t\r\n\x0b\x0c\x85\u2028\u2029]+")


def clean(text):
    return BREAKS.sub(" ", text or "").strip()


def read_csv(path, **kw):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, **kw))


def read_indexed(path, names):
    """`index<TAB>text` lines, the index naming a class."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            index, _, text = line.rstrip("\n").partition("\t")
            if index.strip().isdigit():
                rows.append((names[int(index)], text))
    return rows


def stratified(rows, share=0.2, seed=13):
    """80/20 split by label: random.Random(seed) shuffle per label (sorted), round(share·n) to test."""
    rnd = random.Random(seed)
    test_ids = set()
    for label in sorted({label for label, _ in rows}):
        ids = [i for i, (l, _) in enumerate(rows) if l == label]
        rnd.shuffle(ids)
        test_ids.update(ids[: round(share * len(ids))])
    return {"train": [r for i, r in enumerate(rows) if i not in test_ids],
            "test": [r for i, r in enumerate(rows) if i in test_ids]}


def tidy(splits):
    """Cleans texts; drops empties, duplicates, texts with both labels, and test rows seen in train."""
    out = {}
    labels_of = {}
    for split, rows in splits.items():
        for label, text in rows:
            labels_of.setdefault(clean(text), set()).add(label)
    for split, rows in splits.items():
        seen, kept = set(), []
        for label, text in rows:
            text = clean(text)
            if not text or len(labels_of[text]) > 1 or text in seen:
                continue
            seen.add(text)
            kept.append((label, text))
        out[split] = kept
    train = {t for _, t in out.get("train", [])}
    for split in out:
        if split != "train":
            out[split] = [(l, t) for l, t in out[split] if t not in train]
    return out


# --- one converter per source: SOURCE_DIR -> {split: [(label, text)]} -------------------------

def zh_cold_offensive(src):
    names = {"0": "safe", "1": "offensive"}
    return {s: [(names[r["label"].strip()], r["TEXT"]) for r in read_csv(os.path.join(src, "COLDataset", f"{s}.csv"))]
            for s in ("train", "dev", "test")}


def zh_swsr_sexism(src):
    names = {"0": "nonsexist", "1": "sexist"}
    rows = [(names[r["label"].strip()], r["comment_text"]) for r in read_csv(os.path.join(src, "SWSR", "SexComment.csv"))]
    return stratified(tidy({"all": rows})["all"])


def xubuvd(src, folder, labels=None):
    classes = [l.strip() for l in open(os.path.join(src, folder, "class.txt"), encoding="utf-8") if l.strip()]
    names = [labels.get(c, c) if labels else c for c in classes]
    return {s: read_indexed(os.path.join(src, folder, f"{s}.txt"), names) for s in ("train", "dev", "test")}


def zh_danmaku_sentiment(src):
    splits = xubuvd(src, "BSM")
    positional = {0: "positive", 1: "negative"}
    classes = [l.strip() for l in open(os.path.join(src, "BSM", "class.txt"), encoding="utf-8") if l.strip()]
    rename = {c: positional[i] for i, c in enumerate(classes)}
    return {s: [(rename[l], t) for l, t in rows] for s, rows in splits.items()}


VIDEO = {"创意视频": "creative", "电视剧": "tv_drama", "电影": "movie", "动漫": "anime", "搞笑": "funny",
         "广告": "advert", "纪录片": "documentary", "教育": "education", "科技": "tech", "旅游": "travel",
         "拍客": "citizen_video", "其他": "other", "汽车": "auto", "亲子": "parenting", "少儿": "kids",
         "生活": "lifestyle", "时尚": "fashion", "体育": "sports", "网剧": "web_drama", "微电影": "micro_film",
         "音乐": "music", "游戏": "games", "娱乐": "entertainment", "资讯": "news", "综艺": "variety_show",
         "自拍": "selfie"}


def zh_video_queries(src):
    return xubuvd(src, "VSQ", VIDEO)


def zh_spam_sms(src):
    names = {"0": "ham", "1": "spam"}
    def read(path):
        rows = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if len(fields) < 2 or fields[0] not in names:
                    continue
                # label, message, segmented copy; a message holding a tab spans the first half.
                rest = fields[1:]
                message = rest[0] if len(rest) <= 2 else " ".join(rest[: len(rest) // 2])
                rows.append((names[fields[0]], message))
        return rows
    return {"train": read(os.path.join(src, "mudou_spam.train")), "test": read(os.path.join(src, "mudou_spam.test"))}


def zh_weibo_rumor(src):
    rows = []
    base = os.path.join(src, "CED_Dataset")
    for folder, label in (("rumor-repost", "rumor"), ("non-rumor-repost", "nonrumor")):
        for path in sorted(glob.glob(os.path.join(base, folder, "*"))):
            post = os.path.join(base, "original-microblog", os.path.basename(path))
            if os.path.exists(post):
                rows.append((label, json.load(open(post, encoding="utf-8")).get("text", "")))
    return stratified(tidy({"all": rows})["all"])


def fr_hate_superset(src):
    names = {"0": "nonhateful", "1": "hateful"}
    rows = [(names[r["labels"].strip()], r["text"]) for r in read_csv(os.path.join(src, "new-data-collection", "french", "fr_hf.csv"))
            if r.get("dataset") != "CONAN" and r["labels"].strip() in names]
    return stratified(tidy({"all": rows})["all"])


def fr_mlma_toxic(src):
    path = os.path.join(src, "hate_speech_mlma", "fr_dataset.csv")
    rows = [("normal" if r["sentiment"].strip() == "normal" else "toxic", r["tweet"]) for r in read_csv(path)]
    return stratified(tidy({"all": rows})["all"])


def fr_toxifrench(src):
    names = {"0": "nontoxic", "1": "toxic"}
    rows = [(names[r["label"].strip()], r["content"]) for r in read_csv(os.path.join(src, "data", "Benchmark", "ToxiFrenchBalanced.csv"))]
    return stratified(tidy({"all": rows})["all"])


def fr_sms_spam_mt(src):
    rows = [(r["labels"].strip(), r["text_fr"]) for r in read_csv(os.path.join(src, "data-en-hi-de-fr.csv"))]
    return stratified(tidy({"all": rows})["all"])


def multi_mhc_hate(src):
    names = {"hateful": "hateful", "non-hateful": "nonhateful"}
    files = {"fr": "hatecheck_cases_final_french.csv", "zh": "hatecheck_cases_final_mandarin.csv"}
    cases = {lang: read_csv(os.path.join(src, "MHC Final Cases", name)) for lang, name in files.items()}
    # Test templates: for each gold label, 20% of the template ids, shared by both languages.
    rnd = random.Random(13)
    by_label = {}
    for lang in sorted(cases):
        for r in cases[lang]:
            by_label.setdefault(names[r["label_gold"].strip()], set()).add(r["templ_id"])
    test_templates = set()
    for label in sorted(by_label):
        ids = sorted(by_label[label])
        rnd.shuffle(ids)
        test_templates.update(ids[: round(0.2 * len(ids))])
    out = {}
    for lang, rows in cases.items():
        split = {"train": [], "test": []}
        for r in rows:
            split["test" if r["templ_id"] in test_templates else "train"].append((names[r["label_gold"].strip()], r["test_case"]))
        for name, kept in tidy(split).items():
            out[f"{name}.{lang}"] = kept
    return out


SIB_LABELS = {"science/technology": "scitech"}


def multi_sib200_topic(src):
    out = {}
    for lang, code in (("fr", "fra_Latn"), ("zh", "zho_Hans")):
        for split in ("train", "dev", "test"):
            with open(os.path.join(src, "data", "annotated", code, f"{split}.tsv"), encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f, delimiter="\t"))
            out[f"{split}.{lang}"] = [(SIB_LABELS.get(r["category"], r["category"]), r["text"]) for r in rows]
    return out


CONVERTERS = {
    "zh-cold-offensive": zh_cold_offensive, "zh-swsr-sexism": zh_swsr_sexism,
    "zh-danmaku-sentiment": zh_danmaku_sentiment, "zh-video-queries": zh_video_queries,
    "zh-spam-sms": zh_spam_sms, "zh-weibo-rumor": zh_weibo_rumor,
    "fr-hate-superset": fr_hate_superset, "fr-mlma-toxic": fr_mlma_toxic,
    "fr-toxifrench": fr_toxifrench, "fr-sms-spam-mt": fr_sms_spam_mt,
    "multi-mhc-hate": multi_mhc_hate, "multi-sib200-topic": multi_sib200_topic,
}


def prepare(name, src, out):
    splits = CONVERTERS[name](src)
    if not any(k.startswith("test") for k in splits):
        raise SystemExit(f"{name}: no test split")
    # Splits made here were tidied before splitting; tidying again is harmless.
    splits = tidy(splits) if "multi-mhc" not in name else splits
    os.makedirs(out, exist_ok=True)
    for split, rows in splits.items():
        with open(os.path.join(out, f"{split}.tsv"), "w", encoding="utf-8") as f:
            for label, text in rows:
                f.write(f"{label}\t{text}\n")
    return {split: len(rows) for split, rows in splits.items()}


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CONVERTERS))
        return
    if len(sys.argv) != 4 or sys.argv[1] not in CONVERTERS:
        sys.exit(__doc__ + "\ncorpora: " + ", ".join(CONVERTERS))
    counts = prepare(*sys.argv[1:])
    print(f"{sys.argv[1]}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
