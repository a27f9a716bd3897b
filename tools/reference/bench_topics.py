"""Topic models side by side with crates/journey-ml/examples/bench_topics.rs:
gensim LdaModel (online VB), scikit-learn LatentDirichletAllocation (online)
and scikit-learn NMF (nndsvd, cd, Frobenius, on TF-IDF), on the Lee corpus
(train lee_background.cor, held out lee.cor) and mini 20 Newsgroups (every
10th message held out), K = 10 and 20.

Same preprocessing as the Rust side: simple_preprocess, gensim Dictionary
filter_extremes(no_below=5, no_above=0.5). Online VB settings for both
libraries: alpha = eta = 1/K, minibatch 128, 10 passes, kappa 0.7, tau0 10,
at most 100 E-step iterations per document, seed 0. Coherence: gensim
CoherenceModel (c_v, c_npmi) of the top 10 words on the training texts.
Held-out perplexity: exp(-bound / words) (sklearn `perplexity`, gensim
`exp(-log_perplexity)`). Fit time only (preprocessing excluded), best of
`--repeat` runs.

Pinned: gensim==4.4.0, scikit-learn==1.7.2. Run:
    source /root/venvs/ref/bin/activate
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python tools/reference/bench_topics.py /work/shared/data \\
        [--topics 10,20] [--seed 0] [--corpus lee|mini_20ng] [--models gensim,sklearn,nmf]
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import scipy.sparse as sp
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel, LdaModel
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import TfidfTransformer

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import topics_common as tc  # noqa: E402


def counts(bows, v):
    r, c, x = [], [], []
    for i, b in enumerate(bows):
        for j, n in b:
            r.append(i), c.append(j), x.append(float(n))
    return sp.csr_matrix((x, (r, c)), shape=(len(bows), v))


def coherence(topics, texts, d):
    out = {}
    for m in ["c_v", "c_npmi"]:
        out[m] = CoherenceModel(topics=topics, texts=texts, dictionary=d, coherence=m,
                                processes=1).get_coherence()
    return out


def best_time(fn, repeat):
    best, result = math.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def corpora(data):
    lee_train = tc.tokenize(tc.lee(data))
    lee_test = tc.tokenize(tc.lee(data, "lee.cor"))
    ng = tc.tokenize([t for _, t in tc.newsgroups(data)])
    ng_train = [t for i, t in enumerate(ng) if i % 10 != 0]
    ng_test = [t for i, t in enumerate(ng) if i % 10 == 0]
    return [("lee", lee_train, lee_test), ("mini_20ng", ng_train, ng_test)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--topics", default="10,20")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--corpus", default="all")
    ap.add_argument("--models", default="gensim,sklearn,nmf")
    args = ap.parse_args()
    rows = []
    for name, train, test in corpora(args.data):
        if args.corpus not in ("all", name):
            continue
        d = Dictionary(train)
        d.filter_extremes(no_below=5, no_above=0.5)
        bow_train = [d.doc2bow(t) for t in train]
        bow_test = [d.doc2bow(t) for t in test]
        x_train = counts(bow_train, len(d))
        x_test = counts(bow_test, len(d))
        tfidf = TfidfTransformer().fit_transform(x_train)
        words = lambda ids: [d[int(i)] for i in ids]  # noqa: E731
        for k in [int(s) for s in args.topics.split(",")]:
            first = len(rows)
            if "gensim" in args.models:
                t, lda = best_time(lambda: LdaModel(
                    bow_train, num_topics=k, id2word=d, passes=10, chunksize=128, decay=0.7,
                    offset=10.0, iterations=100, gamma_threshold=1e-3, alpha="symmetric",
                    eta=None, random_state=args.seed, eval_every=None), args.repeat)
                topics = [[w for w, _ in lda.show_topic(i, topn=10)] for i in range(k)]
                perp = math.exp(-lda.log_perplexity(bow_test, total_docs=len(bow_test)))
                rows.append(dict(corpus=name, k=k, seed=args.seed, model="gensim LdaModel (online VB)",
                                 fit_s=t, heldout_perplexity=perp, **coherence(topics, train, d)))
            if "sklearn" in args.models:
                t, sk = best_time(lambda: LatentDirichletAllocation(
                    n_components=k, learning_method="online", batch_size=128, max_iter=10,
                    learning_decay=0.7, learning_offset=10.0, max_doc_update_iter=100,
                    random_state=args.seed).fit(x_train), args.repeat)
                topics = [words(np.argsort(-r, kind="stable")[:10]) for r in sk.components_]
                rows.append(dict(corpus=name, k=k, seed=args.seed,
                                 model="sklearn LatentDirichletAllocation (online)", fit_s=t,
                                 heldout_perplexity=float(sk.perplexity(x_test)),
                                 **coherence(topics, train, d)))
            if "nmf" in args.models:
                t, nmf = best_time(lambda: NMF(n_components=k, init="nndsvd", solver="cd",
                                               beta_loss="frobenius", random_state=args.seed).fit(tfidf),
                                   args.repeat)
                topics = [words(np.argsort(-r, kind="stable")[:10]) for r in nmf.components_]
                rows.append(dict(corpus=name, k=k, seed=args.seed, model="sklearn NMF (nndsvd, cd)",
                                 fit_s=t, heldout_perplexity=None,
                                 reconstruction_err=float(nmf.reconstruction_err_),
                                 **coherence(topics, train, d)))
            for r in rows[first:]:
                print(json.dumps(r), flush=True)

if __name__ == "__main__":
    main()
