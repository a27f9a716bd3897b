#!/usr/bin/env python3
"""Golden outputs of NLTK's WordNet lemmatizer, for journey-text's parity tests.

Pinned versions
    Python 3.11, nltk==3.10.4 (the only package needed), WordNet 3.0 as shipped
    by Debian `wordnet-base` 1:3.0-37 (`/usr/share/wordnet`), the copy in
    `$JOURNEY_DATA/lexicons/wordnet-3.0`.

Command (from the repository root)
    /root/venvs/ref/bin/python tools/reference/lemmatize_golden.py \
        --data ../shared/data --out crates/journey-text/tests/fixtures

What it writes (only words and their lemmas, never corpus text)
    wordnet_lemmas.tsv        every word type seen at least twice in the corpora
                              below (lower-cased runs of a-z, with inner hyphens
                              or apostrophes), one row per word:
                              `word  n  v  a  r`, each column the string that
                              `WordNetLemmatizer().lemmatize(word, pos)` returns.
    wordnet_lemmas_extra.tsv  same columns for the tricky cases: every form in
                              the four exception lists (`*.exc`) and a hand-made
                              list (capitals, spaces, underscores, words that
                              are a bare suffix, non-ASCII, duplicated
                              exception keys).
    wordnet_morphy.tsv        `word  pos  check_exceptions  candidates` for the
                              hand-made list: NLTK's `_morphy(word, pos,
                              check_exceptions)`, the ordered candidate list
                              joined by single spaces (lemmas never contain
                              whitespace), empty when nothing is found.

Corpora (under --data): corpora/wikitext-2/{valid,test}.txt, corpora/kjv/kjv.txt,
classification/sst2/train.tsv (UTF-8) and corpora/lee/{lee,lee_background}.cor
(Latin-1: the Lee corpus is not UTF-8).

How NLTK is pointed at the shared folder
    `nltk.corpus.wordnet` is a lazy loader for `~/nltk_data/corpora/wordnet`.
    Instead we build `WordNetCorpusReader(folder, None)` ourselves (no
    Open Multilingual Wordnet reader) with two adjustments, both outside the
    lemmatizer's code path:
      1. the folder is appended to `nltk.data.path`, because NLTK 3.10's path
         sentinel (`nltk.pathsec`) only lets readers open files under a data
         root;
      2. `map_wn` is overridden to return None: in the constructor it builds
         the WordNet-to-WordNet sense mapping for the multilingual functions
         from `index.sense`, a file this folder does not have (see
         ../shared/data/README.md).
    Then `nltk.corpus.wordnet` is replaced by this reader, so that the
    unmodified `nltk.stem.WordNetLemmatizer` (which does
    `from nltk.corpus import wordnet as wn` on each call) uses it.

The script also asserts that the satellite-adjective tag "s" gives exactly the
lemmas of "a" for every word written, which is why the fixtures have no "s"
column.
"""

import argparse
import re
import sys
import warnings
from collections import Counter
from pathlib import Path

import nltk
import nltk.corpus
import nltk.data
from nltk.corpus.reader.wordnet import WordNetCorpusReader

POS = ["n", "v", "a", "r"]
TOKEN = re.compile(r"[a-z]+(?:['-][a-z]+)*")

# Hand-picked cases: exception lists, several candidates, NLTK's shortest-lemma
# choice, case and spacing that NLTK does not normalise, bare suffixes.
TRICKY = [
    "geese", "ran", "better", "best", "worse", "abaci", "aardwolves", "us",
    "dogs", "churches", "hardrock", "axes", "saw", "leaves", "was", "is",
    "are", "been", "has", "did", "does", "went", "children", "oxen", "mice",
    "teeth", "feet", "men", "women", "ladies", "flies", "wolves", "knives",
    "boxes", "buzzes", "wishes", "matches", "classes", "glasses", "offer",
    "aurar", "involucra", "diastemata", "sudatoria", "further", "farther",
    "stronger", "strongest", "nicer", "nicest", "happier", "bigger",
    "hotter", "running", "stopped", "making", "hoped", "hopped", "lying",
    "dying", "ties", "goes", "s", "es", "ies", "ses", "men", "ing", "ed",
    "er", "est", "a", "i", "x", "Dogs", "Geese", "RAN", "Better", "US",
    "hot_dogs", "hot dogs", "hot-dogs", "hot_dog", "ice_creams",
    "attorneys_general", "attorneys general", "mothers-in-law",
    "café", "naïve", "cafés", "Ångström", "o'clock", "'tween", "a.d.",
    "rock'n'roll", "3-d", "1st", "ios", "lenses", "buses", "gases",
    "gasses", "quizzes", "militated_against", "alto-relievos",
]


def open_wordnet(folder: Path) -> WordNetCorpusReader:
    """NLTK's own reader over `folder`, see the module docstring."""

    class LocalWordNet(WordNetCorpusReader):
        def map_wn(self, version="wordnet"):
            return None

    nltk.data.path.append(str(folder))
    with warnings.catch_warnings():
        # "The multilingual functions are not available with this Wordnet version"
        warnings.simplefilter("ignore")
        wn = LocalWordNet(str(folder), None)
    assert wn.get_version() == "3.0", wn.get_version()
    nltk.corpus.wordnet = wn
    return wn


def corpus_words(data: Path) -> list[str]:
    sources = [
        (data / "corpora/wikitext-2/valid.txt", "utf-8"),
        (data / "corpora/wikitext-2/test.txt", "utf-8"),
        (data / "corpora/kjv/kjv.txt", "utf-8"),
        (data / "classification/sst2/train.tsv", "utf-8"),
        (data / "corpora/lee/lee_background.cor", "latin-1"),
        (data / "corpora/lee/lee.cor", "latin-1"),
    ]
    counts = Counter()
    for path, encoding in sources:
        counts.update(TOKEN.findall(path.read_text(encoding=encoding).lower()))
    return sorted(w for w, c in counts.items() if c >= 2)


def exception_forms(folder: Path) -> list[str]:
    forms = set()
    for name in ["noun.exc", "verb.exc", "adj.exc", "adv.exc"]:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.split():
                forms.add(line.split()[0])
    return sorted(forms)


def write_lemmas(path: Path, words: list[str], lemmatizer) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            f"# nltk {nltk.__version__} WordNetLemmatizer().lemmatize(word, pos), "
            "WordNet 3.0; written by tools/reference/lemmatize_golden.py\n"
        )
        out.write("word\tn\tv\ta\tr\n")
        for word in words:
            assert "\t" not in word and "\n" not in word and word.strip() == word
            lemmas = [lemmatizer.lemmatize(word, pos) for pos in POS]
            assert lemmatizer.lemmatize(word, "s") == lemmas[2], word
            out.write("\t".join([word] + lemmas) + "\n")
    print(f"wrote {path} ({len(words)} words, {path.stat().st_size} bytes)")


def write_morphy(path: Path, words: list[str], wn) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            f"# nltk {nltk.__version__} wordnet._morphy(word, pos, check_exceptions), "
            "WordNet 3.0; written by tools/reference/lemmatize_golden.py\n"
        )
        out.write("word\tpos\tcheck_exceptions\tcandidates\n")
        for word in words:
            for pos in POS:
                for check in [True, False]:
                    found = wn._morphy(word, pos, check)
                    assert found == wn._morphy(word, "s", check) or pos != "a"
                    out.write(f"{word}\t{pos}\t{str(check).lower()}\t{' '.join(found)}\n")
    print(f"wrote {path} ({len(words)} words)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("crates/journey-text/tests/fixtures"))
    args = parser.parse_args()
    assert nltk.__version__ == "3.10.4", f"expected nltk 3.10.4, found {nltk.__version__}"

    folder = args.data / "lexicons/wordnet-3.0"
    wn = open_wordnet(folder)
    from nltk.stem import WordNetLemmatizer

    lemmatizer = WordNetLemmatizer()
    assert lemmatizer.lemmatize("geese") == "goose"

    words = corpus_words(args.data)
    assert len(words) >= 20_000, len(words)
    args.out.mkdir(parents=True, exist_ok=True)
    write_lemmas(args.out / "wordnet_lemmas.tsv", words, lemmatizer)

    tricky = list(dict.fromkeys(TRICKY))
    extra = sorted(set(exception_forms(folder)) | set(tricky))
    write_lemmas(args.out / "wordnet_lemmas_extra.tsv", extra, lemmatizer)
    write_morphy(args.out / "wordnet_morphy.tsv", tricky, wn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
