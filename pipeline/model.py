"""The classifier: one scikit-learn Pipeline, built from the `train` params, saved and logged whole."""
from __future__ import annotations

import re
from array import array
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn import get_config
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from pipeline import LABELS
from pipeline.features import OTHER_TOKEN, TARGET_TOKEN

# The model's input: one row per pair. "sentence" as written, "marked" with the
# target and other actors replaced (pipeline.features); the article and actor
# let the article-context stage (pipeline.context) find the actor's other pairs.
INPUT_COLUMNS = ["sentence", "marked", "article_id", "actor"]
TEXT_COLUMN = {"marked": "marked", "raw": "sentence"}


_WORD = re.compile(r"[\w']+")
_TARGET = TARGET_TOKEN.lower()
_OTHER = OTHER_TOKEN.lower()
# Where a clause ends: punctuation and the conjunctions that turn to another
# actor's view ("..., while the North warned ..."). "and" is left out because
# it joins subjects ("China and Russia vetoed").
_CLAUSE_BREAK = re.compile(r"[;:,()\u2014\u2013]| - |\b(?:but|while|whereas|although|though|however|yet)\b",
                           re.IGNORECASE)


def target_window(texts, window: int = 4) -> list[str]:
    """The words left and right of each target mention, tagged by side ("l_vetoed", "r_the")."""
    out = []
    for text in texts:
        words = _WORD.findall(text.lower())
        tagged = []
        for i, word in enumerate(words):
            if word == _TARGET:
                tagged += ["l_" + w for w in words[max(0, i - window):i]]
                tagged += ["r_" + w for w in words[i + 1:i + 1 + window]]
        out.append(" ".join(tagged))
    return out


def target_clause(texts) -> list[str]:
    """The clauses of the sentence that hold the target."""
    out = []
    for text in texts:
        clauses = [c for c in _CLAUSE_BREAK.split(text) if TARGET_TOKEN in c]
        out.append(" ".join(clauses))
    return out


def target_roles(texts) -> list[str]:
    """Where the target stands among the actors: first named, alone, before or after others."""
    out = []
    for text in texts:
        words = _WORD.findall(text.lower())
        actors = [w for w in words if w in (_TARGET, _OTHER)]
        tags = []
        if actors:
            tags.append("first" if actors[0] == _TARGET else "not_first")
            tags.append("alone" if _OTHER not in actors else "with_others")
            if words and words[0] == _TARGET:
                tags.append("opens_sentence")
        out.append(" ".join(tags))
    return out


def cue_votes(texts, functions: list[tuple[str, str, str, str]] = ()) -> list[str]:
    """The cue-lexicon labelling functions that fire for the target, as tokens ("lf_impose")."""
    from pipeline.label import LabellingFunction

    compiled = [LabellingFunction(n, label, re.compile(p, re.IGNORECASE), role) for n, label, p, role in functions]
    if not compiled:
        return ["" for _ in texts]
    # Most sentences hold no cue at all: one pass over all cues rules them out at once.
    # Case-blind matching is slow in `re`: lower-cased ASCII text is matched case-sensitively
    # (the same answer, as the cues are lower case); other text keeps IGNORECASE.
    cues = "|".join(f"(?:{p})" for _, _, p, _ in functions)
    any_cue, any_cue_folded = re.compile(cues), re.compile(cues, re.IGNORECASE)

    def may_fire(text: str) -> bool:
        return bool(any_cue.search(text.lower()) if text.isascii() else any_cue_folded.search(text))

    return [" ".join(f"lf_{f.name}" for f in compiled if f.vote(t)) if may_fire(t) else "" for t in texts]


# Words whose n-grams a vectorizer keeps while scoring (about 300 bytes each): then it starts afresh.
_MAX_CACHED_WORDS = 100_000


class HashedVocabulary(Mapping):
    """A fitted vocabulary (n-gram -> column) held in numpy arrays instead of a dict.

    A dict of 600k n-grams is 600k str and int objects, 80 MB, and every lookup
    writes to the int it returns (its reference count): workers forked from the
    scoring process then copy those pages one by one. Here the n-grams are kept
    as UTF-8 bytes, and found by Python's str hash in a sorted array: a batch of
    lookups is one vectorised search and touches no Python object.

    The hashes are worked out when the vocabulary is built, in the process that
    uses it (str hashes change from one interpreter to the next), never saved.
    Two n-grams with the same 64-bit hash cannot both be held
    (`HashCollision`); an n-gram outside the vocabulary could share a hash with
    one in it and be counted as that one, with a chance of about 1 in 10^13
    per lookup.
    """

    def __init__(self, blob: bytes, lengths: np.ndarray, columns: np.ndarray) -> None:
        self._blob = np.frombuffer(blob, dtype=np.uint8)
        self._ends = np.cumsum(lengths, dtype=np.int64)
        self._columns = np.asarray(columns, dtype=np.int64)
        hashes = np.fromiter(map(hash, self._terms()), dtype=np.int64, count=len(self._columns))
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._sorted_columns = hashes[order], self._columns[order]
        if len(hashes) > 1 and (self._hashes[1:] == self._hashes[:-1]).any():
            raise HashCollision("two n-grams of the vocabulary share a hash")

    @classmethod
    def from_dict(cls, vocabulary: dict[str, int]) -> HashedVocabulary:
        blob, lengths, columns = _dict_arrays(vocabulary)
        return cls(blob.tobytes(), lengths, columns)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(UTF-8 bytes of the terms, their lengths, their columns): what is saved."""
        return self._blob, np.diff(self._ends, prepend=0), self._columns

    def columns(self, terms: list[str]) -> np.ndarray:
        """The column of each term, -1 where it is not in the vocabulary."""
        wanted = np.fromiter(map(hash, terms), dtype=np.int64, count=len(terms))
        if not len(self._hashes):
            return np.full(len(terms), -1, dtype=np.int64)
        at = np.searchsorted(self._hashes, wanted)
        at[at == len(self._hashes)] = 0
        return np.where(self._hashes[at] == wanted, self._sorted_columns[at], -1)

    def _terms(self):
        return _decode(self._blob.tobytes(), self._ends.tolist())

    def __getitem__(self, term: str) -> int:
        column = int(self.columns([term])[0])
        if column < 0:
            raise KeyError(term)
        return column

    def __iter__(self):
        return self._terms()

    def __len__(self) -> int:
        return len(self._columns)

    def __reduce__(self):
        blob, lengths, columns = self.arrays()
        return type(self), (blob.tobytes(), lengths, columns)


class HashCollision(ValueError):
    pass


def _dict_arrays(vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(UTF-8 bytes of the terms, their lengths, their columns) of a plain vocabulary."""
    encoded = [term.encode("utf-8") for term in vocabulary]
    return (np.frombuffer(b"".join(encoded), dtype=np.uint8), np.array([len(e) for e in encoded], dtype=np.int64),
            np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary)))


def _decode(data: bytes, ends: list[int]):
    start = 0
    for end in ends:
        yield data[start:end].decode("utf-8")
        start = end


def vocabulary_from_arrays(data: bytes, lengths: np.ndarray, columns: np.ndarray) -> Mapping[str, int]:
    """A HashedVocabulary, or a plain dict in the rare case two terms share a hash."""
    try:
        return HashedVocabulary(data, lengths, columns)
    except HashCollision:
        return dict(zip(_decode(data, np.cumsum(lengths).tolist()), np.asarray(columns).tolist()))


def compact(vocabulary: dict[str, int]) -> Mapping[str, int]:
    """A fitted dict vocabulary as it is kept (see `vocabulary_from_arrays`)."""
    blob, lengths, columns = _dict_arrays(vocabulary)
    return vocabulary_from_arrays(blob.tobytes(), lengths, columns)


def columns_of(vocabulary: Mapping[str, int], terms: list[str]) -> np.ndarray:
    """The column of each term in a fitted vocabulary, -1 where it has none."""
    if isinstance(vocabulary, HashedVocabulary):
        return vocabulary.columns(terms)
    get = vocabulary.get
    return np.fromiter((get(t, -1) for t in terms), dtype=np.int64, count=len(terms))


class CompactTfidfVectorizer(TfidfVectorizer):
    """A TfidfVectorizer whose fitted vocabulary is a HashedVocabulary, saved as three arrays.

    skops (MLflow's safe format) writes a dict entry by entry into its JSON
    schema: hundreds of thousands of n-grams made a 350 MB file that took 9 s
    and 600 MB of memory to load. As arrays it is a few MB and loads at once.
    In memory, the arrays take a fifth of what the dict did.
    """

    def fit(self, raw_documents, y=None):
        super().fit(raw_documents, y)
        self.vocabulary_ = compact(self.vocabulary_)
        return self

    def fit_transform(self, raw_documents, y=None):
        X = super().fit_transform(raw_documents, y)
        self.vocabulary_ = compact(self.vocabulary_)
        return X

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # sklearn returns __dict__ itself: copy before editing
        state.pop("_word_ngrams", None)
        vocabulary = state.pop("vocabulary_", None)
        if vocabulary is not None:
            # a plain dict only where two terms share a hash (see `compact`)
            blob, lengths, columns = (vocabulary.arrays() if isinstance(vocabulary, HashedVocabulary)
                                      else _dict_arrays(vocabulary))
            state.update(vocabulary_bytes_=blob, vocabulary_lengths_=lengths, vocabulary_index_=columns)
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        blob, lengths = state.pop("vocabulary_bytes_", None), state.pop("vocabulary_lengths_", None)
        columns = state.pop("vocabulary_index_", None)
        if blob is not None:
            state["vocabulary_"] = vocabulary_from_arrays(np.asarray(blob, dtype=np.uint8).tobytes(), lengths, columns)
        super().__setstate__(state)

    def _count_vocab(self, raw_documents, fixed_vocab):
        """Counts as scikit-learn makes them, from a batch lookup in the fitted vocabulary.

        `char_wb` n-grams never cross a space, so a text's n-grams are those of its
        words: each word's columns are worked out once and reused (news repeats its
        words), instead of slicing and looking up every n-gram of every text.
        Scoring spent half its time there.
        """
        if not fixed_vocab:
            return super()._count_vocab(raw_documents, fixed_vocab)
        vocabulary = self.vocabulary_
        if self.analyzer == "char_wb" and self.preprocessor is None:
            indices, indptr = self._char_wb_columns(raw_documents, vocabulary)
        else:
            analyze, grams, ends = self.build_analyzer(), [], [0]
            for doc in raw_documents:
                grams += analyze(doc)
                ends.append(len(grams))
            columns = columns_of(vocabulary, grams)
            found = columns >= 0
            indices, indptr = columns[found], np.concatenate([[0], np.cumsum(found)])[ends]
        kind = sp.csr_array if get_config().get("sparse_interface") == "sparray" else sp.csr_matrix
        X = kind((np.ones(len(indices), dtype=self.dtype), indices, indptr), shape=(len(indptr) - 1, len(vocabulary)))
        X.sum_duplicates()  # repeated n-grams become counts, indices sorted, as scikit-learn leaves them
        return vocabulary, X

    def _char_wb_columns(self, raw_documents, vocabulary) -> tuple[np.ndarray, np.ndarray]:
        cached = self.__dict__.get("_word_ngrams")
        if cached is None or cached[0] is not vocabulary or len(cached[1]) > _MAX_CACHED_WORDS:
            cached = self._word_ngrams = (vocabulary, {})
        words_of = cached[1]
        preprocess, decode, ngrams = self.build_preprocessor(), self.decode, self._char_wb_ngrams
        docs = [preprocess(decode(doc)).split() for doc in raw_documents]
        new = [w for w in dict.fromkeys(w for words in docs for w in words) if w not in words_of]
        if new:  # all the chunk's unseen words in one lookup
            grams = [ngrams(w) for w in new]
            columns = columns_of(vocabulary, [g for gs in grams for g in gs])
            start = 0
            for word, n in zip(new, map(len, grams)):
                found = columns[start:start + n]
                words_of[word] = array("q", found[found >= 0].tobytes())
                start += n
        indices = array("q")  # machine integers: extending by a cached word is a copy, not a loop
        indptr = array("q", [0])
        for words in docs:
            for word in words:
                indices.extend(words_of[word])
            indptr.append(len(indices))
        return np.frombuffer(indices, dtype=np.int64), np.frombuffer(indptr, dtype=np.int64)


def _derived(name: str, func, kwargs: dict, vectorizer: TfidfVectorizer) -> Pipeline:
    return Pipeline([(name, FunctionTransformer(func, kw_args=kwargs)), ("tfidf", vectorizer)])


def _vectorizers(features: dict[str, Any]) -> list[tuple[str, Any, str]]:
    column = TEXT_COLUMN[features["text"]]
    common = dict(sublinear_tf=features.get("sublinear_tf", True), min_df=features.get("min_df", 1),
                  max_features=features.get("max_features"), lowercase=True)
    steps = []
    # Target-aware views of the marked sentence; meaningless without the marking.
    if features.get("context_window") and features["text"] == "marked":
        steps.append(("window", _derived("window", target_window, {"window": features["context_window"]},
                                         CompactTfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), **common)),
                      "marked"))
    if features.get("clause") and features["text"] == "marked":
        steps.append(("clause", _derived("clause", target_clause, {},
                                         CompactTfidfVectorizer(ngram_range=(1, 2), **common)), "marked"))
    if features.get("word_ngrams"):
        steps.append(("word", CompactTfidfVectorizer(ngram_range=tuple(features["word_ngrams"]), **common), column))
    if features.get("char_ngrams"):
        steps.append(("char", CompactTfidfVectorizer(analyzer="char_wb", ngram_range=tuple(features["char_ngrams"]),
                                              **common), column))
    if features.get("roles") and features["text"] == "marked":
        steps.append(("roles", _derived("roles", target_roles, {},
                                        CompactTfidfVectorizer(token_pattern=r"\S+", use_idf=False)), "marked"))
    if features.get("cues") and features["text"] == "marked":
        steps.append(("cues", _derived("cues", cue_votes, {"functions": cue_specs(features["cues"])},
                                       CompactTfidfVectorizer(token_pattern=r"\S+", use_idf=False)), "marked"))
    if not steps:
        raise ValueError("train.features: turn on word_ngrams or char_ngrams (or both)")
    return steps


def cue_specs(path: str) -> list[tuple[str, str, str, str]]:
    """The cue lexicon as plain tuples, so the saved model carries it and needs no file."""
    from pipeline.label import load_labelling_functions

    return [(f.name, f.label, f.pattern.pattern, f.role) for f in load_labelling_functions(path)]


def _classifier(spec: dict[str, Any], seed: int):
    name = spec["name"]
    weight = spec.get("class_weight")
    C = spec.get("C", 1.0)
    if name == "logreg":
        return LogisticRegression(C=C, class_weight=weight, max_iter=2000, random_state=seed)
    if name == "linear_svm":
        # LinearSVC has no probabilities; scoring needs them, so calibrate.
        return CalibratedClassifierCV(LinearSVC(C=C, class_weight=weight, random_state=seed), cv=3)
    if name == "sgd":
        return SGDClassifier(loss="modified_huber", alpha=spec.get("alpha", 1e-4), class_weight=weight,
                             random_state=seed)
    if name == "ridge":
        return CalibratedClassifierCV(RidgeClassifier(alpha=1.0 / C, class_weight=weight), cv=3)
    if name == "complement_nb":
        return ComplementNB(alpha=spec.get("alpha", 1.0))
    raise ValueError(f"train.classifier.name: unknown classifier {name!r}")


def build_model(train_params: dict[str, Any]):
    """The pair model as one Pipeline; inside an ArticleContextClassifier when `train.context` is set."""
    pairs = build_pair_model(train_params)
    context = train_params.get("context")
    if not context:
        return pairs
    from pipeline.context import ArticleContextClassifier

    return ArticleContextClassifier(pairs, folds=int(context.get("folds", 5)), C=float(context.get("C", 0.1)),
                                    seed=train_params.get("seed", 0), n_jobs=context.get("n_jobs"),
                                    none_weight=context.get("none_weight", 1.0),
                                    naive_bayes=context.get("naive_bayes"),
                                    strongest_other=bool(context.get("strongest_other", False)))


def build_pair_model(train_params: dict[str, Any]) -> Pipeline:
    features = train_params["features"]
    views = _vectorizers(features)
    # Each view is unit-length: a weight says how much one view counts against the others.
    weights = {name: float(w) for name, w in (features.get("weights") or {}).items()}
    unknown = set(weights) - {name for name, _, _ in views}
    if unknown:
        raise ValueError(f"train.features.weights: no such view {sorted(unknown)} (views: {[n for n, _, _ in views]})")
    return Pipeline([
        ("features", ColumnTransformer(views, transformer_weights=weights or None)),
        ("classifier", _classifier(train_params["classifier"], train_params.get("seed", 0))),
    ])


def predict_proba_frame(model: Pipeline, pairs: pd.DataFrame) -> pd.DataFrame:
    """stance and p_<label> for each pair, in pair order (every label column present)."""
    if pairs.empty:
        return pd.DataFrame(columns=["stance", *(f"p_{c}" for c in LABELS)])
    proba = model.predict_proba(pairs[INPUT_COLUMNS])
    classes = list(model.classes_)
    out = pd.DataFrame(0.0, index=pairs.index, columns=[f"p_{c}" for c in LABELS])
    for i, c in enumerate(classes):
        out[f"p_{c}"] = proba[:, i]
    out.insert(0, "stance", np.asarray(classes)[proba.argmax(axis=1)])
    return out


def describe(train_params: dict[str, Any]) -> str:
    """A run name that says what was trained: classifier, text, n-grams."""
    f = train_params["features"]
    parts = [train_params["classifier"]["name"], f["text"]]
    if f.get("word_ngrams"):
        parts.append("w{}-{}".format(*f["word_ngrams"]))
    if f.get("char_ngrams"):
        parts.append("c{}-{}".format(*f["char_ngrams"]))
    if f["text"] == "marked" and f.get("context_window"):
        parts.append(f"win{f['context_window']}")
    if f["text"] == "marked" and f.get("clause"):
        parts.append("clause")
    if f["text"] == "marked" and f.get("roles"):
        parts.append("roles")
    if f["text"] == "marked" and f.get("cues"):
        parts.append("cues")
    context = train_params.get("context")
    if context:
        parts.append("context")
        if context.get("naive_bayes") is not None:
            parts.append("nb")
        if context.get("strongest_other"):
            parts.append("max")
        if context.get("none_weight", 1) != 1:  # a number other than 1, or "auto"
            parts.append(f"none{context['none_weight']}")
    return "-".join(parts)


def fitted_choices(model) -> dict[str, float]:
    """What fitting chose rather than was told, to log beside the params (none_weight "auto")."""
    weight = getattr(model, "none_weight_", None)
    return {} if weight is None else {"train.context.none_weight_chosen": weight}
