#!/usr/bin/env bash
# Chapter 1.2 speed, side by side with the references, on this machine.
# Each pair runs back to back; results are JSON lines in $OUT (default
# /tmp/journey-bench-1.2.jsonl). Needs the reference venv:
#   python3 -m venv ~/venvs/ref && ~/venvs/ref/bin/pip install nltk==3.10.4
# Usage: tools/bench/chapter1_2.sh [PYTHON]   (run from the repository root)
set -euo pipefail
py=${1:-/root/venvs/ref/bin/python}
data=${JOURNEY_DATA:-../shared/data}
out=${OUT:-/tmp/journey-bench-1.2.jsonl}
export JOURNEY_DATA=$data
cargo build --release -q -p journey-text --examples
ex=target/release/examples
: >"$out"
run() { echo "+ $*" >&2; "$@" | tee -a "$out"; }
run $ex/bench_stem "$data/eval/stemming/english/voc.txt" 10
run "$py" tools/reference/bench_stem.py "$data/eval/stemming/english/voc.txt" 10
snowball=${SNOWBALL_DATA:-/usr/share/snowball/data}  # apt-get install snowball-data
run $ex/bench_snowball "$snowball" 10
run "$py" tools/reference/bench_snowball.py "$snowball" 10
run $ex/bench_lemma --reps 20 --loads 10
run "$py" tools/reference/bench_lemma.py --data "$data" --reps 20
run $ex/bench_treebank "$data/corpora/kjv/kjv.txt" 5
run "$py" tools/reference/bench_treebank.py "$data/corpora/kjv/kjv.txt" 5
run $ex/bench_sentences
run "$py" tools/reference/bench_sentences.py
echo "results: $out" >&2
