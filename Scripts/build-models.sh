#!/usr/bin/env bash
# Rebuilds every model shipped in Models/ from a datasets folder, evaluates each on its corpora's
# test splits, and writes each model's card (Models/<name>.md) with the figures it measured.
#
# usage: Scripts/build-models.sh [DATASETS_DIR] [OUT_DIR]    (defaults: ../shared/datasets, Models)
#
# Only corpora whose licence allows a shipped model are used (see DATASETS_DIR/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
datasets=${1:-../shared/datasets}
out=${2:-Models}
cd "$root"
mkdir -p "$out"
[ -d "$datasets" ] || { echo "build-models: no datasets folder at $datasets; give its path." >&2; exit 66; }
swift build -c release --product crible >&2
crible=$root/.build/release/crible
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

metric() { python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.4f\t%.4f" % (d["accuracy"], d["macro_f1"]))'; }
# describe MODEL: sets `algorithm` and `hyperparameters` (name = value, ...) from `crible info`.
describe() {
  local info
  info=$("$crible" info "$1" --json)
  algorithm=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["algorithm"])' <<<"$info")
  hyperparameters=$(python3 -c '
import json, sys
d = json.load(sys.stdin)
parts = ["%s = %g" % kv for kv in sorted(d["hyperparameters"].items())]
weights = d["provenance"].get("class_weights")
if weights and len(weights) > 4:
    parts.append("class weights %.3g to %.3g" % (min(weights.values()), max(weights.values())))
elif weights:
    parts.append("class weights " + ", ".join("%s %.4g" % kv for kv in sorted(weights.items())))
print(", ".join(parts))' <<<"$info")
}

# --- offensive-zh-fr: the default bilingual offensive-language model --------------------------
name=offensive-zh-fr
zh=$datasets/zh-cold-offensive
fr=$datasets/fr-mlma-toxic
command=(train "$zh/train.tsv" "$fr/train.tsv" --map-label toxic=offensive --map-label normal=safe
  --output "$out/$name.crible")
"$crible" "${command[@]}"
sed 's/^toxic\t/offensive\t/; s/^normal\t/safe\t/' "$fr/test.tsv" >"$work/fr-test.tsv"
read -r zh_acc zh_f1 < <("$crible" evaluate -m "$out/$name.crible" "$zh/test.tsv" --json | metric)
read -r fr_acc fr_f1 < <("$crible" evaluate -m "$out/$name.crible" "$work/fr-test.tsv" --json | metric)
cat "$zh/test.tsv" "$work/fr-test.tsv" >"$work/both-test.tsv"
read -r all_acc all_f1 < <("$crible" evaluate -m "$out/$name.crible" "$work/both-test.tsv" --json | metric)
read -r sample_acc sample_f1 < <("$crible" evaluate -m "$out/$name.crible" Datasets/samples/labelled.tsv --json | metric)
bytes=$(wc -c <"$out/$name.crible")
describe "$out/$name.crible"

cat >"$out/$name.md" <<CARD
# offensive-zh-fr: bilingual offensive-language model (default)

Written by \`Scripts/build-models.sh\`; do not edit by hand.

| | |
|---|---|
| task | offensive or abusive message vs ordinary message |
| languages | Chinese (simplified), French |
| labels | \`offensive\`, \`safe\` |
| algorithm | $algorithm ($hyperparameters; Crible's measured defaults) |
| pipeline | Crible's default: every normalisation step (NFKC_Casefold, traditional → simplified, accents, look-alikes, elongation, Han joined across separators, placeholders, numbers read as Han in Chinese messages), Han character 1-2-grams, words and word bigrams, subwords 3-5, symbols, telephone-number prefixes, web-address domains; hashed into 2^22 buckets, the 100,000 most frequent kept |
| file | \`$name.crible\`, $bytes bytes |

## Training data

Two corpora whose licences allow a shipped model, with their labels merged into one pair
(\`toxic\` → \`offensive\`, \`normal\` → \`safe\`):

- **zh-cold-offensive**: COLD, Chinese offensive language (Deng et al., EMNLP 2022), GitHub
  \`thu-coai/COLDataset\`. Licence: Apache-2.0. 25,726 training messages (offensive / safe).
- **fr-mlma-toxic**: MLMA French tweets (Ousidhoum et al., EMNLP 2019), GitHub
  \`HKUST-KnowComp/MLMA_hate_speech\`. Licence: MIT. 3,204 training messages (toxic / normal).

The splits are those of \`../shared/datasets\` (their READMEs give the exact source commits).

## Exact command

\`\`\`
crible ${command[*]}
\`\`\`

(with the datasets folder at \`$datasets\`).

## Test metrics (accuracy / macro-F1)

| test set | Crible | best scikit-learn or fastText figure in peers.md (trained on that corpus alone) |
|---|---|---|
| zh-cold-offensive test (5,268) | $zh_acc / $zh_f1 | .799 / .795 (LogisticRegression) |
| fr-mlma-toxic test (801) | $fr_acc / $fr_f1 | .719 / .584 (MultinomialNB, best macro-F1) |
| both together | $all_acc / $all_f1 | |
| Datasets/samples (40, ours) | $sample_acc / $sample_f1 | |

Limitations: COLD covers race, gender and region topics and MLMA is small and mostly toxic;
neither covers spam. Expect many false alarms on heated but civil messages.
CARD
echo "$name: zh $zh_acc/$zh_f1, fr $fr_acc/$fr_f1, both $all_acc/$all_f1, samples $sample_acc/$sample_f1, $bytes bytes" >&2

# --- the catalogue: one model per task -------------------------------------------------------
# A 100,000-message mix (drawn as ../shared/tools/peers/throughput.py draws it) for the speed
# figure of every card.
python3 Scripts/message-mix.py "$datasets" "$work/mix.txt" 100000

# build NAME TITLE TASK LANGUAGES LIMITATIONS -- TRAIN ARGUMENTS...; reads TESTS (name|file|peer
# lines) and CORPORA (the card's training-data section) from the environment.
build() {
  local name=$1 title=$2 task=$3 languages=$4 limitations=$5
  shift 6
  local command=(train "$@" --output "$out/$name.crible")
  "$crible" "${command[@]}" 2>"$work/train.log" || { cat "$work/train.log" >&2; return 1; }
  local quantized=""
  if [ "$(wc -c <"$out/$name.crible")" -gt 8000000 ]; then
    "$crible" quantize "$out/$name.crible" --to fp16 -o "$work/q.crible" >/dev/null
    mv "$work/q.crible" "$out/$name.crible"
    quantized="; weights stored in half precision (\`crible quantize --to fp16\`) to stay under 8 MB"
    command+=("&&" "crible" quantize "$out/$name.crible" --to fp16 -o "$out/$name.crible")
  fi
  local rows="" test file peer acc f1
  while IFS='|' read -r test file peer; do
    [ -n "$test" ] || continue
    read -r acc f1 < <("$crible" evaluate -m "$out/$name.crible" "$file" --json | metric)
    rows+="| $test | $acc / $f1 | $peer |"$'\n'
    echo "$name: $test $acc/$f1" >&2
  done <<<"$TESTS"
  local bytes speed labels
  bytes=$(wc -c <"$out/$name.crible")
  speed=$("$crible" bench -m "$out/$name.crible" "$work/mix.txt" --threads 2 --json | python3 -c 'import json,sys; print("{:,.0f}".format(json.load(sys.stdin)["messages_per_second"]))')
  labels=$("$crible" info "$out/$name.crible" --json | python3 -c 'import json,sys; print(", ".join("`%s`" % l for l in json.load(sys.stdin)["labels"]))')
  describe "$out/$name.crible"
  cat >"$out/$name.md" <<CARD
# $name: $title

Written by \`Scripts/build-models.sh\`; do not edit by hand.

| | |
|---|---|
| task | $task |
| languages | $languages |
| labels | $labels |
| algorithm | $algorithm ($hyperparameters; Crible's measured defaults$quantized) |
| pipeline | Crible's default: every normalisation step, numbers read as Han in Chinese messages, Han character 1-2-grams, words and word bigrams, subwords 3-5, symbols, telephone-number prefixes, web-address domains; hashed into 2^22 buckets, the 100,000 most frequent kept |
| file | \`$name.crible\`, $bytes bytes |
| speed | $speed messages/s labelling a 100,000-message mix of every corpus, 2 threads, file to /dev/null (\`crible bench\`, this 2-core machine) |

## Training data

$CORPORA

The splits are those of \`../shared/datasets\` (their READMEs give the exact source commits).

## Exact command

\`\`\`
crible ${command[*]}
\`\`\`

(with the datasets folder at \`$datasets\`).

## Test metrics (accuracy / macro-F1)

| test set | Crible | best scikit-learn or fastText figure in ../shared/docs/peers.md |
|---|---|---|
$rows
Limitations: $limitations
CARD
}

TESTS="zh-swsr-sexism test (1,792)|$datasets/zh-swsr-sexism/test.tsv|.800 / .776 (LogisticRegression)" \
CORPORA="- **zh-swsr-sexism**: SWSR, sexism in Chinese Weibo posts (Jiang et al. 2022), GitHub \`aggiejiang/SWSR\`. Licence: MIT. 7,171 training messages (sexist / nonsexist; the split was made for Crible's corpora, stratified 80/20)." \
build sexism-zh "Chinese sexism detection" "sexist message vs not" "Chinese (simplified)" \
  "Weibo posts about gender topics; other platforms and topics will differ." -- \
  "$datasets/zh-swsr-sexism/train.tsv"

TESTS="zh-danmaku-sentiment test|$datasets/zh-danmaku-sentiment/test.tsv|.957 / .954 (fastText)" \
CORPORA="- **zh-danmaku-sentiment**: bullet-screen (danmaku) chat messages, GitHub \`xubuvd/Short-Text-Classification\`. Licence: Apache-2.0 (README) / MIT (LICENSE file). 70,000 training messages (positive / negative)." \
build sentiment-zh-danmaku "Chinese chat sentiment" "positive vs negative chat message" "Chinese (simplified)" \
  "Video-site bullet-screen chat: short, informal; neutral messages are forced into one of the two labels." -- \
  "$datasets/zh-danmaku-sentiment/train.tsv"

TESTS="zh-video-queries test (22,500)|$datasets/zh-video-queries/test.tsv|.663 / .529 (LogisticRegression)" \
CORPORA="- **zh-video-queries**: video search queries in 26 categories, GitHub \`xubuvd/Short-Text-Classification\`. Licence: Apache-2.0 (README) / MIT (LICENSE file). 105,000 training queries." \
build topics-zh-video "Chinese video-query topics" "one of 26 video categories (anime, games, music, news, ...)" "Chinese (simplified)" \
  "Rare categories (citizen_video, web_drama, micro_film) are seldom predicted; queries are very short." -- \
  "$datasets/zh-video-queries/train.tsv"

sed 's/^normal\t/nontoxic\t/' "$datasets/fr-mlma-toxic/test.tsv" >"$work/mlma-test.tsv"
TESTS="fr-mlma-toxic test|$work/mlma-test.tsv|.719 / .584 (MultinomialNB, best macro-F1)
fr-toxifrench test|$datasets/fr-toxifrench/test.tsv|.676 / .674 (LogisticRegression)" \
CORPORA="- **fr-mlma-toxic**: MLMA French tweets (Ousidhoum et al., EMNLP 2019), GitHub \`HKUST-KnowComp/MLMA_hate_speech\`. Licence: MIT. Labels toxic / normal, \`normal\` renamed \`nontoxic\`.
- **fr-toxifrench**: ToxiFrench, French forum messages, GitHub \`AxelDlv00/ToxiFrench\`. Licence: MIT. Labels toxic / nontoxic." \
build toxicity-fr "French toxicity" "toxic message vs not" "French" \
  "Tweets and forum posts; MLMA is small and mostly toxic, so the two corpora disagree on the base rate." -- \
  "$datasets/fr-mlma-toxic/train.tsv" "$datasets/fr-toxifrench/train.tsv" --map-label normal=nontoxic

TESTS="multi-mhc-hate (fr) test|$datasets/multi-mhc-hate/test.fr.tsv|.791 / .756 (ComplementNB)
multi-mhc-hate (zh) test|$datasets/multi-mhc-hate/test.zh.tsv|.804 / .780 (fastText)" \
CORPORA="- **multi-mhc-hate**: Multilingual HateCheck, French and Chinese functional tests (Röttger et al., WOAH 2022), GitHub \`rewire-online/multilingual-hatecheck\`. Licence: CC BY 4.0: attribution to the MHC authors is required when you use or redistribute this model." \
build hate-zh-fr "bilingual hate speech (HateCheck)" "hateful message vs not" "French, Chinese" \
  "HateCheck cases are templated functional tests, not natural traffic; figures on real messages will be lower." -- \
  "$datasets/multi-mhc-hate/train.fr.tsv" "$datasets/multi-mhc-hate/train.zh.tsv"
