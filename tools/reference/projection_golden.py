"""Golden PCA and t-SNE results of scikit-learn on GloVe 6B 50d word vectors,
for crates/journey-embed/tests/projection.rs.

Pinned: scikit-learn==1.7.2, numpy==2.4.6, pyarrow (CPython 3.11 venv at
/root/venvs/ref). Run from the repository root, after
`bash ../shared/bin/fetch-models glove`:

    /root/venvs/ref/bin/python tools/reference/projection_golden.py \
        --models ~/.cache/journey/models \
        --out crates/journey-embed/tests/fixtures/projection_sklearn.json

For the WORDS below (the tour's plot words), in this order:
  - PCA(n_components=2, svd_solver="full"): explained_variance_ratio_,
    components_ and every word's projection;
  - t-SNE's joint probabilities P (sklearn.manifold._t_sne._joint_probabilities
    on the squared Euclidean distances, perplexity 10): their sum, entropy
    Σ p ln p and 400 entries at fixed (i, j) pairs;
  - TSNE(method="exact", perplexity=10, init="pca", random_state=0):
    kl_divergence_, n_iter_ and the trustworthiness (k=5) of its layout,
    and of the PCA layout, for a like-for-like quality comparison.
"""

import argparse
import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities
from sklearn.metrics import pairwise_distances

WORDS = (
    "france paris germany berlin italy rome spain madrid japan tokyo china beijing "
    "russia moscow egypt cairo india delhi canada ottawa "
    "dog cat horse cow sheep pig lion tiger wolf bear "
    "red green blue yellow black white purple orange "
    "one two three four five six seven eight nine ten "
    "walk run swim jump fly climb drive ride "
    "king queen prince princess man woman boy girl father mother son daughter "
    "doctor nurse teacher lawyer engineer farmer soldier artist "
    "apple banana bread cheese rice coffee tea wine"
).split()
PERPLEXITY = 10.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    d = a.models / "glove-6b-50d"
    vectors = np.load(d / "vectors.npy")
    words = pq.read_table(d / "index.parquet").column("index").to_pylist()
    index = {w: i for i, w in enumerate(words)}
    X = np.stack([vectors[index[w]] for w in WORDS]).astype(np.float32)
    n = len(WORDS)

    pca = PCA(n_components=2, svd_solver="full").fit(X)
    proj = pca.transform(X)

    dist = pairwise_distances(X, metric="euclidean", squared=True)
    P = _joint_probabilities(dist, PERPLEXITY, 0)  # condensed, i < j
    rng = np.random.default_rng(0)
    picks = sorted({tuple(sorted(rng.choice(n, 2, replace=False).tolist())) for _ in range(500)})[:400]
    full = np.zeros((n, n))
    iu = np.triu_indices(n, 1)
    full[iu] = P
    full = full + full.T

    tsne = TSNE(n_components=2, method="exact", perplexity=PERPLEXITY, init="pca", random_state=0)
    Y = tsne.fit_transform(X)

    golden = {
        "sklearn": sklearn.__version__,
        "words": WORDS,
        "pca": {
            "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
            "components": pca.components_.tolist(),
            "projection": proj.tolist(),
            "trustworthiness_5": float(trustworthiness(X, proj, n_neighbors=5)),
        },
        "p": {
            "perplexity": PERPLEXITY,
            "sum_upper": float(P.sum()),
            "entropy": float(np.sum(P * np.log(P))),
            "entries": [[i, j, float(full[i, j])] for i, j in picks],
        },
        "tsne": {
            "kl_divergence": float(tsne.kl_divergence_),
            "n_iter": int(tsne.n_iter_),
            "trustworthiness_5": float(trustworthiness(X, Y, n_neighbors=5)),
        },
    }
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print(
        f"n={n} PCA ratio {pca.explained_variance_ratio_} trust {golden['pca']['trustworthiness_5']:.4f}; "
        f"t-SNE KL {tsne.kl_divergence_:.4f} iters {tsne.n_iter_} trust {golden['tsne']['trustworthiness_5']:.4f}"
    )


if __name__ == "__main__":
    main()
