"""Golden figures for the online-VB LDA inference and bound: scikit-learn's
LatentDirichletAllocation.perplexity and .transform on the held-out Lee
documents (lee.cor) with a fixed, formula-defined topic-word matrix
lambda[k, v] = 0.05 + ((31 k + 17 v) mod 97) / 10, K = 10, alpha = eta = 0.1
(the E-step starts from ones, so this is deterministic).

Pinned: scikit-learn==1.7.2, gensim==4.4.0. Run:
    source /root/venvs/ref/bin/activate
    python tools/reference/lda_golden.py /work/shared/data \
        crates/journey-ml/tests/fixtures/lda_golden.json
"""
import json
import sys

import numpy as np
import scipy.sparse as sp
import sklearn
from gensim.corpora import Dictionary
from scipy.special import psi
from sklearn.decomposition import LatentDirichletAllocation

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import topics_common as tc  # noqa: E402

assert sklearn.__version__ == "1.7.2"


def counts(texts, d):
    r, c, v = [], [], []
    for i, t in enumerate(texts):
        for j, n in d.doc2bow(t):
            r.append(i), c.append(j), v.append(float(n))
    return sp.csr_matrix((v, (r, c)), shape=(len(texts), len(d)))


def main():
    data, dest = sys.argv[1], sys.argv[2]
    train = tc.tokenize(tc.lee(data))
    test = tc.tokenize(tc.lee(data, "lee.cor"))
    d = Dictionary(train)
    d.filter_extremes(no_below=5, no_above=0.5)
    x = counts(test, d)
    k, v = 10, len(d)
    lam = np.array([[0.05 + ((31 * a + 17 * b) % 97) / 10.0 for b in range(v)] for a in range(k)])
    lda = LatentDirichletAllocation(n_components=k, doc_topic_prior=0.1, topic_word_prior=0.1)
    lda.components_ = lam
    lda.exp_dirichlet_component_ = np.exp(psi(lam) - psi(lam.sum(1))[:, None])
    lda.doc_topic_prior_ = 0.1
    lda.topic_word_prior_ = 0.1
    lda.n_features_in_ = v
    lda.n_batch_iter_ = 1
    perp = float(lda.perplexity(x))
    theta = lda.transform(x)
    out = {"sklearn": sklearn.__version__, "k": k, "alpha": 0.1, "eta": 0.1, "n_features": v,
           "heldout_docs": x.shape[0], "heldout_words": float(x.sum()),
           "perplexity": perp, "theta_first3": theta[:3].tolist()}
    print(perp)
    with open(dest, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
