#!/usr/bin/env python3
"""Times Debian's `fasttext` 0.9.2 binary (supervised, read + train + save)
on the AG News split of fasttext_reference.py, at 1 and 2 threads; the Rust
side is crates/journey-embed/examples/bench_fasttext.rs (which also runs the
binary itself, side by side).

Usage: python3 tools/reference/bench_fasttext.py [DATA_DIR] [THREADS=1,2]
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import fasttext_reference as ref  # noqa: E402

FLAGS = "-epoch 5 -lr 0.5 -wordNgrams 2 -dim 50 -bucket 2000000".split()


def main():
    if len(sys.argv) > 1:
        ref.DATA = sys.argv[1]
    threads = [int(t) for t in (sys.argv[2] if len(sys.argv) > 2 else "1,2").split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        tr, te = ref.ag(tmp)
        for t in threads:
            model = os.path.join(tmp, "m")
            t0 = time.perf_counter()
            subprocess.run(["fasttext", "supervised", "-input", tr, "-output", model, "-thread", str(t),
                            "-verbose", "0"] + FLAGS, check=True)
            secs = time.perf_counter() - t0
            out = subprocess.run(["fasttext", "test", model + ".bin", te], check=True, capture_output=True,
                                 text=True).stdout.split()
            print(f"fasttext threads {t}: P@1 {out[3]} seconds {secs:.2f}")


if __name__ == "__main__":
    main()
