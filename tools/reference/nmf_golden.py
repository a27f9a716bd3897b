"""Golden NMF figures from scikit-learn on TF-IDF of the Lee background
corpus: NMF(init='nndsvd', solver='cd', beta_loss='frobenius') reconstruction
error, iterations and top words per topic, for K=10; plus the
multiplicative-update KL fit (init='nndsvda') for a looser check.

Pinned: scikit-learn==1.7.2, gensim==4.4.0. Run:
    source /root/venvs/ref/bin/activate
    python tools/reference/nmf_golden.py /work/shared/data \
        crates/journey-ml/tests/fixtures/nmf_golden.json

Input: simple_preprocess of each line, gensim Dictionary
filter_extremes(no_below=5, no_above=0.5), counts in dictionary id order,
TfidfTransformer() defaults (smooth idf, L2 rows).
"""
import json
import sys

import numpy as np
import scipy.sparse as sp
import sklearn
from gensim.corpora import Dictionary
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfTransformer

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import topics_common as tc  # noqa: E402

assert sklearn.__version__ == "1.7.2", sklearn.__version__


def counts_matrix(texts, d):
    rows, cols, vals = [], [], []
    for i, t in enumerate(texts):
        for j, c in d.doc2bow(t):
            rows.append(i)
            cols.append(j)
            vals.append(float(c))
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(d)))


def main():
    data, dest = sys.argv[1], sys.argv[2]
    texts = tc.tokenize(tc.lee(data))
    d = Dictionary(texts)
    d.filter_extremes(no_below=5, no_above=0.5)
    x = TfidfTransformer().fit_transform(counts_matrix(texts, d))
    out = {"sklearn": sklearn.__version__, "shape": list(x.shape), "nnz": int(x.nnz),
           "tfidf_sum": float(x.sum()), "fits": []}
    for name, kw in [
        ("cd_frobenius_nndsvd", dict(init="nndsvd", solver="cd", beta_loss="frobenius")),
        ("mu_kl_nndsvda", dict(init="nndsvda", solver="mu", beta_loss="kullback-leibler", max_iter=400)),
    ]:
        m = NMF(n_components=10, random_state=0, **kw)
        w = m.fit_transform(x)
        top = [[d[int(j)] for j in np.argsort(-row, kind="stable")[:10]] for row in m.components_]
        out["fits"].append({"name": name, "k": 10, "reconstruction_err": float(m.reconstruction_err_),
                            "n_iter": int(m.n_iter_), "top_words": top,
                            "w_sum": float(w.sum())})
        print(name, m.reconstruction_err_, m.n_iter_)
    with open(dest, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
