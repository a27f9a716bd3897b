"""Golden topic coherence from gensim's CoherenceModel (u_mass, c_uci,
c_npmi, c_v) on the Lee background corpus and on mini 20 Newsgroups.

Pinned: gensim==4.4.0 (numpy 2.x). Run:
    source /root/venvs/ref/bin/activate
    python tools/reference/coherence_golden.py /work/shared/data \
        crates/journey-ml/tests/fixtures/coherence_golden.json

Topics are the top 10 words of a gensim LdaModel (K=10, random_state=0) on
each corpus, plus one hand-made topic that has a word missing from the
dictionary (gensim drops it). Texts: simple_preprocess of each line (Lee) or
of each message body after the header (20NG, Latin-1); dictionary:
Dictionary(texts).filter_extremes(no_below=5, no_above=0.5).
"""
import hashlib
import json
import sys

import gensim
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel, LdaModel

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import topics_common as tc  # noqa: E402

assert gensim.__version__ == "4.4.0", gensim.__version__
MEASURES = ["u_mass", "c_uci", "c_npmi", "c_v"]


def case(name, texts, extra_topic):
    d = Dictionary(texts)
    d.filter_extremes(no_below=5, no_above=0.5)
    corpus = [d.doc2bow(t) for t in texts]
    lda = LdaModel(corpus, id2word=d, num_topics=10, passes=2, random_state=0)
    topics = [[w for w, _ in lda.show_topic(k, topn=10)] for k in range(10)]
    topics.append(extra_topic)
    out = {
        "corpus": name,
        "num_docs": len(texts),
        "num_tokens": sum(len(t) for t in texts),
        "texts_sha256": hashlib.sha256("\n".join(" ".join(t) for t in texts).encode()).hexdigest(),
        "dictionary_size": len(d),
        "dictionary_sha256": hashlib.sha256("\n".join(d[i] for i in range(len(d))).encode()).hexdigest(),
        "topics": topics,
        "coherence": {},
    }
    for m in MEASURES:
        cm = CoherenceModel(topics=topics, texts=texts, dictionary=d, coherence=m, processes=1)
        per = [float(x) for x in cm.get_coherence_per_topic()]
        if m != "u_mass":
            # the parallel accumulator must give the same counts
            cm2 = CoherenceModel(topics=topics, texts=texts, dictionary=d, coherence=m, processes=2)
            per2 = [float(x) for x in cm2.get_coherence_per_topic()]
            assert max(abs(a - b) for a, b in zip(per, per2)) < 1e-12, (m, per, per2)
        out["coherence"][m] = per
        print(name, m, round(sum(per[:10]) / 10, 6))
    return out


def main():
    data, dest = sys.argv[1], sys.argv[2]
    lee = tc.tokenize(tc.lee(data))
    ng = tc.tokenize([t for _, t in tc.newsgroups(data)])
    cases = [
        case("lee_background", lee, ["fire", "zzzunknownword", "sydney", "bushfires", "hill"]),
        case("mini_newsgroups", ng, ["god", "zzzunknownword", "jesus", "bible", "church"]),
    ]
    with open(dest, "w") as f:
        json.dump({"gensim": gensim.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
