#!/usr/bin/env python3
"""Generates Sources/Tokenization/Generated/UnicodeData.swift from the Unicode Character Database.

usage: Scripts/generate-unicode-tables.py [UCD_DIR]   (default /usr/share/unicode, Debian's unicode-data)

What it extracts, all from one UCD version so that tokenisation never depends on the Swift
runtime's own Unicode version (saved models depend on it):
  - NFKC_Casefold (DerivedNormalizationProps.txt): per code point, NFKC + full case folding +
    removal of default-ignorable code points;
  - NFKC_QC=Maybe (same file): code points that may compose with the one before;
  - canonical composition pairs (UnicodeData.txt decompositions of two code points, minus
    Full_Composition_Exclusion);
  - a coarse class per code point for the pre-tokeniser: letter, mark, han, digit, space, other
    (UnicodeData.txt general categories, Scripts.txt for Han);
  - traditional to simplified Chinese, character by character (Unihan_Variants.txt,
    kSimplifiedVariant; a character that lists itself among its simplified variants, such as
    乾 -> 干 乾, is ambiguous and kept as it is);
  - accent folding for Latin script: a Latin letter whose full canonical decomposition is an
    ASCII letter followed by combining marks folds to that letter (é -> e), plus the Latin
    letters that have no decomposition but an obvious plain spelling (œ -> oe, æ -> ae, ø -> o, ...).
The output is hex text in string literals, parsed once at start-up: quick to compile, easy to diff.
"""
import bz2
import os
import sys

UCD = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
OUT = os.path.join(os.path.dirname(__file__), "..", "Sources", "Tokenization", "Generated", "UnicodeData.swift")

def lines(name):
    with open(os.path.join(UCD, name), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                yield [field.strip() for field in line.split(";")]

def code_range(text):
    if ".." in text:
        a, b = text.split("..")
        return int(a, 16), int(b, 16)
    return int(text, 16), int(text, 16)

def version():
    with open(os.path.join(UCD, "DerivedNormalizationProps.txt"), encoding="utf-8") as f:
        first = f.readline()
    return first.strip("# \n").replace("DerivedNormalizationProps-", "").replace(".txt", "")

# NFKC_Casefold mappings and NFKC_QC=Maybe.
nfkc_cf = {}
maybe = []
exclusions = set()
for fields in lines("DerivedNormalizationProps.txt"):
    if len(fields) >= 2 and fields[1] == "NFKC_CF":
        lo, hi = code_range(fields[0])
        value = [int(x, 16) for x in fields[2].split()] if len(fields) > 2 and fields[2] else []
        for cp in range(lo, hi + 1):
            nfkc_cf[cp] = value
    elif len(fields) >= 3 and fields[1] == "NFKC_QC" and fields[2] == "M":
        maybe.append(code_range(fields[0]))
    elif len(fields) == 2 and fields[1] == "Full_Composition_Exclusion":
        lo, hi = code_range(fields[0])
        exclusions.update(range(lo, hi + 1))

# General categories, with UnicodeData.txt's First/Last ranges expanded.
category = {}
pairs = []
pending = None
for fields in lines("UnicodeData.txt"):
    cp, name, gc, decomposition = int(fields[0], 16), fields[1], fields[2], fields[5]
    if name.endswith(", First>"):
        pending = cp
        continue
    if name.endswith(", Last>"):
        for c in range(pending, cp + 1):
            category[c] = gc
        pending = None
        continue
    category[cp] = gc
    parts = decomposition.split()
    if len(parts) == 2 and not parts[0].startswith("<") and cp not in exclusions:
        pairs.append((int(parts[0], 16), int(parts[1], 16), cp))

han = set()
for fields in lines("Scripts.txt"):
    if fields[1] == "Han":
        lo, hi = code_range(fields[0])
        han.update(range(lo, hi + 1))

# Traditional to simplified.
simplified = []
with bz2.open(os.path.join(UCD, "Unihan_Variants.txt.bz2"), "rt", encoding="utf-8") as f:
    for line in f:
        fields = line.rstrip("\n").split("\t")
        if len(fields) == 3 and fields[1] == "kSimplifiedVariant":
            source = int(fields[0][2:], 16)
            targets = [int(t[2:], 16) for t in fields[2].split()]
            if source not in targets:
                simplified.append((source, targets[0]))

# Accent folding: canonical decompositions, applied recursively.
canonical = {}
latin = set()
for fields in lines("UnicodeData.txt"):
    parts = fields[5].split()
    if parts and not parts[0].startswith("<"):
        canonical[int(fields[0], 16)] = [int(x, 16) for x in parts]
for fields in lines("Scripts.txt"):
    if fields[1] == "Latin":
        lo, hi = code_range(fields[0])
        latin.update(range(lo, hi + 1))

def decompose(cp):
    if cp not in canonical:
        return [cp]
    return [d for part in canonical[cp] for d in decompose(part)]

EXTRA_FOLDS = {0x0153: "oe", 0x00E6: "ae", 0x00F8: "o", 0x0111: "d", 0x0142: "l", 0x0131: "i",
               0x0127: "h", 0x0167: "t", 0x0180: "b", 0x01E5: "g", 0x0268: "i", 0x0289: "u"}
folds = []
for cp in sorted(latin):
    if cp in EXTRA_FOLDS:
        folds.append((cp, [ord(c) for c in EXTRA_FOLDS[cp]]))
        continue
    parts = decompose(cp)
    if len(parts) > 1 and parts[0] < 0x80 and chr(parts[0]).isalpha() and all(
        category.get(p, "Cn").startswith("M") for p in parts[1:]
    ):
        folds.append((cp, [parts[0]]))

OTHER, LETTER, MARK, HAN, DIGIT, SPACE = range(6)

def klass(cp):
    gc = category.get(cp, "Cn")
    if cp in han and gc in ("Lo", "Lm", "Nl"):
        return HAN
    if gc[0] == "L":
        return LETTER
    if gc[0] == "M":
        return MARK
    if gc == "Nd":
        return DIGIT
    if gc[0] == "Z" or gc == "Cc":  # separators and control characters (tab, line ends, NUL)
        return SPACE
    return OTHER

runs = []
start, current = 0, klass(0)
for cp in range(1, 0x110000):
    k = klass(cp)
    if k != current:
        runs.append((start, cp - 1, current))
        start, current = cp, k
runs.append((start, 0x10FFFF, current))
runs = [r for r in runs if r[2] != OTHER]

def wrap(items, width=96):
    out, line = [], ""
    for item in items:
        if len(line) + len(item) > width:
            out.append(line)
            line = ""
        line += item
    if line:
        out.append(line)
    return "\n".join("    " + l for l in out)

mapping_items = [
    "%X:%s;" % (cp, " ".join("%X" % v for v in value)) for cp, value in sorted(nfkc_cf.items())
]
run_items = ["%X,%X,%d;" % r for r in runs]
pair_items = ["%X,%X,%X;" % p for p in sorted(pairs)]
maybe_items = ["%X,%X;" % r for r in maybe]
simplified_items = ["%X:%X;" % p for p in simplified]
fold_items = ["%X:%s;" % (cp, " ".join("%X" % v for v in value)) for cp, value in folds]

ver = version()
with open(OUT, "w", encoding="utf-8") as f:
    f.write(f"""// Generated by Scripts/generate-unicode-tables.py from the Unicode Character Database
// {ver} (Debian's unicode-data). Do not edit by hand; run the script instead.
//
// The tables are hex text so that they compile quickly and diff readably; `UnicodeTables`
// parses them once, at first use.

extension UnicodeTables {{
  /// The Unicode version the tables come from.
  static let unicodeVersion = "{ver}"

  /// NFKC_Casefold mappings, `code:mapped code...;` for every code point that changes.
  ///
  /// An empty mapping removes the code point (default-ignorable code points).
  static let nfkcCaseFoldSource = \"\"\"
{wrap(mapping_items)}
    \"\"\"

  /// Pre-tokeniser classes: `first,last,class;` with class 1 letter, 2 mark, 3 Han, 4 digit,
  /// 5 space; every other code point is class 0 (symbol or punctuation).
  static let classRunsSource = \"\"\"
{wrap(run_items)}
    \"\"\"

  /// Canonical compositions: `first,second,composite;`, Full_Composition_Exclusion removed.
  static let compositionSource = \"\"\"
{wrap(pair_items)}
    \"\"\"

  /// NFKC_QC=Maybe ranges, `first,last;`: code points that may compose with the one before.
  static let composesWithPreviousSource = \"\"\"
{wrap(maybe_items)}
    \"\"\"

  /// Traditional to simplified Chinese, `traditional:simplified;`, from Unihan's
  /// kSimplifiedVariant.
  static let simplifiedSource = \"\"\"
{wrap(simplified_items)}
    \"\"\"

  /// Latin accent folding, `letter:plain...;`.
  static let accentFoldSource = \"\"\"
{wrap(fold_items)}
    \"\"\"
}}
""")
print(f"wrote {OUT}: {len(mapping_items)} mappings, {len(run_items)} class runs, {len(pair_items)} compositions, {len(maybe_items)} maybe ranges, {len(simplified_items)} simplified, {len(fold_items)} accent folds")
