#!/usr/bin/env python3
"""Runs every converter of prepare.py on the fixtures (small files we wrote in each source's own
format) and checks the TSV files it writes. usage: python3 Datasets/prepare/test_prepare.py"""
import os, subprocess, sys, tempfile, unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import prepare  # noqa: E402


def run(name):
    out = tempfile.mkdtemp()
    prepare.prepare(name, os.path.join(HERE, "fixtures", name), out)
    return {f[:-4]: [tuple(l.rstrip("\n").split("\t")) for l in open(os.path.join(out, f), encoding="utf-8")]
            for f in sorted(os.listdir(out))}


class Converters(unittest.TestCase):
    def test_every_corpus_has_a_converter_and_a_fixture(self):
        self.assertEqual(sorted(prepare.CONVERTERS), sorted(os.listdir(os.path.join(HERE, "fixtures"))))

    def test_every_output_is_crible_tsv(self):
        for name in prepare.CONVERTERS:
            with self.subTest(name=name):
                splits = run(name)
                self.assertTrue(any(k.startswith("test") for k in splits))
                for rows in splits.values():
                    for row in rows:
                        self.assertEqual(len(row), 2, row)
                        self.assertTrue(row[0] and row[1].strip() == row[1] and row[1])
                        self.assertNotIn("\n", row[1])

    def test_cold_keeps_its_splits_and_cleans_texts(self):
        s = run("zh-cold-offensive")
        self.assertEqual(s["train"], [("offensive", "你这个垃圾"), ("safe", "今天天气很好"), ("offensive", "滚开，蠢货 真烦"), ("safe", "谢谢, 你的帮助")])
        self.assertEqual(s["dev"], [("safe", "明天见"), ("offensive", "脑残")])
        # 今天天气很好 is also in train: dropped from test.
        self.assertEqual(s["test"], [("offensive", "蠢货闭嘴"), ("safe", "周末吃饭吗")])

    def test_class_indices_become_labels(self):
        s = run("zh-video-queries")
        self.assertEqual(s["train"], [("anime", "海贼王最新一集"), ("games", "王者荣耀攻略"), ("music", "周杰伦新歌")])
        self.assertEqual(run("zh-danmaku-sentiment")["test"], [("positive", "喜欢"), ("negative", "难看")])

    def test_spam_recovers_messages_with_tabs_and_drops_empty_ones(self):
        s = run("zh-spam-sms")
        self.assertEqual(s["train"], [("spam", "加微信领红包"), ("ham", "晚上一起吃饭"), ("spam", "优惠 大促"), ("ham", "明天开会")])
        self.assertEqual(s["test"], [("spam", "免费领取话费"), ("ham", "好的收到")])

    def test_labels_are_mapped(self):
        mlma = run("fr-mlma-toxic")
        self.assertEqual(sorted({l for rows in mlma.values() for l, _ in rows}), ["normal", "toxic"])
        superset = run("fr-hate-superset")
        self.assertNotIn("Texte de CONAN", [t for rows in superset.values() for _, t in rows])
        self.assertEqual(sum(len(r) for r in superset.values()), 7)
        sib = run("multi-sib200-topic")
        self.assertEqual(sib["train.fr"][0], ("scitech", "Le nouveau processeur est rapide"))

    def test_splits_made_here_are_stratified(self):
        swsr = run("zh-swsr-sexism")
        self.assertEqual(len(swsr["test"]), 2)  # round(0.2 * 4) sexist + round(0.2 * 6) nonsexist
        self.assertEqual(sorted(l for l, _ in swsr["test"]), ["nonsexist", "sexist"])

    def test_hatecheck_splits_by_template_in_both_languages(self):
        s = run("multi-mhc-hate")
        fr_test = {t for _, t in s["test.fr"]}
        # Template 1 has two cases: they go to the same side, in both languages.
        self.assertEqual("Je déteste les femmes" in fr_test, "Je déteste les gays" in fr_test)
        self.assertEqual("Je déteste les femmes" in fr_test, "我讨厌女人" in {t for _, t in s["test.zh"]})

    def test_command_line(self):
        out = tempfile.mkdtemp()
        done = subprocess.run([sys.executable, os.path.join(HERE, "prepare.py"), "fr-toxifrench",
                               os.path.join(HERE, "fixtures", "fr-toxifrench"), out], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(sorted(os.listdir(out)), ["test.tsv", "train.tsv"])
        bad = subprocess.run([sys.executable, os.path.join(HERE, "prepare.py"), "nope", out, out], capture_output=True, text=True)
        self.assertNotEqual(bad.returncode, 0)


if __name__ == "__main__":
    unittest.main()
