#!/usr/bin/env bash
# Rebuilds every model shipped in Models/ from a datasets folder, evaluates each on its corpora's
# test splits, and writes each model's card (Models/<name>.md) with the figures it measured.
#
# usage: Scripts/build-models.sh [DATASETS_DIR]    (default: ../shared/datasets)
#
# Only corpora whose licence allows a shipped model are used (see DATASETS_DIR/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
datasets=${1:-../shared/datasets}
cd "$root"
[ -d "$datasets" ] || { echo "build-models: no datasets folder at $datasets; give its path." >&2; exit 66; }
swift build -c release --product crible >&2
crible=$root/.build/release/crible
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

metric() { python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.4f\t%.4f" % (d["accuracy"], d["macro_f1"]))'; }

# --- offensive-zh-fr: the default bilingual offensive-language model --------------------------
name=offensive-zh-fr
zh=$datasets/zh-cold-offensive
fr=$datasets/fr-mlma-toxic
command=(train "$zh/train.tsv" "$fr/train.tsv" --map-label toxic=offensive --map-label normal=safe
  --output "Models/$name.crible")
"$crible" "${command[@]}"
sed 's/^toxic\t/offensive\t/; s/^normal\t/safe\t/' "$fr/test.tsv" >"$work/fr-test.tsv"
read -r zh_acc zh_f1 < <("$crible" evaluate -m "Models/$name.crible" "$zh/test.tsv" --json | metric)
read -r fr_acc fr_f1 < <("$crible" evaluate -m "Models/$name.crible" "$work/fr-test.tsv" --json | metric)
cat "$zh/test.tsv" "$work/fr-test.tsv" >"$work/both-test.tsv"
read -r all_acc all_f1 < <("$crible" evaluate -m "Models/$name.crible" "$work/both-test.tsv" --json | metric)
read -r sample_acc sample_f1 < <("$crible" evaluate -m "Models/$name.crible" Datasets/samples/labelled.tsv --json | metric)
bytes=$(wc -c <"Models/$name.crible")
algorithm=$("$crible" info "Models/$name.crible" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["algorithm"])')
hyperparameters=$("$crible" info "Models/$name.crible" --json | python3 -c 'import json,sys; d=json.load(sys.stdin)["hyperparameters"]; print(", ".join("%s = %g" % kv for kv in sorted(d.items())))')

cat >"Models/$name.md" <<CARD
# offensive-zh-fr: bilingual offensive-language model (default)

Written by \`Scripts/build-models.sh\`; do not edit by hand.

| | |
|---|---|
| task | offensive or abusive message vs ordinary message |
| languages | Chinese (simplified), French |
| labels | \`offensive\`, \`safe\` |
| algorithm | $algorithm ($hyperparameters; Crible's measured defaults) |
| pipeline | Crible's default: every normalisation step (NFKC_Casefold, traditional → simplified, accents, look-alikes, elongation, Han joined across separators, placeholders), Han character 1-2-grams, words, subwords 3-5, symbols; hashed into 2^22 buckets, the 100,000 most frequent kept |
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
