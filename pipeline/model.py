"""The classifier: one scikit-learn Pipeline, built from the `train` params, saved and logged whole."""
from __future__ import annotations

import re
from array import array
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
# target and other actors replaced (pipeline.features).
INPUT_COLUMNS = ["sentence", "marked"]
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


class CompactTfidfVectorizer(TfidfVectorizer):
    """A TfidfVectorizer whose vocabulary is saved as two arrays.

    skops (MLflow's safe format) writes a dict entry by entry into its JSON
    schema: hundreds of thousands of n-grams made a 350 MB file that took 9 s
    and 600 MB of memory to load. As arrays it is a few MB and loads at once.
    """

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # sklearn returns __dict__ itself: copy before editing
        state.pop("_word_ngrams", None)
        vocabulary = state.pop("vocabulary_", None)
        if vocabulary is not None:
            # UTF-8 bytes and their lengths: fixed-width unicode arrays would pad every term to the longest.
            encoded = [term.encode("utf-8") for term in vocabulary]
            state["vocabulary_bytes_"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
            state["vocabulary_lengths_"] = np.array([len(e) for e in encoded], dtype=np.int64)
            state["vocabulary_index_"] = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        blob, lengths = state.pop("vocabulary_bytes_", None), state.pop("vocabulary_lengths_", None)
        index = state.pop("vocabulary_index_", None)
        if blob is not None:
            data, ends = blob.tobytes(), np.cumsum(lengths).tolist()
            starts = [0, *ends[:-1]]
            terms = [data[a:b].decode("utf-8") for a, b in zip(starts, ends)]
            state["vocabulary_"] = dict(zip(terms, index.tolist()))
        super().__setstate__(state)

    def _count_vocab(self, raw_documents, fixed_vocab):
        """Counts as scikit-learn makes them, faster for `char_wb` on a fitted vocabulary.

        `char_wb` n-grams never cross a space, so a text's n-grams are those of its
        words: each word's vocabulary indices are worked out once and reused (news
        repeats its words), instead of slicing and looking up every n-gram of every
        text. Scoring spent half its time here.
        """
        if not fixed_vocab or self.analyzer != "char_wb" or self.preprocessor is not None:
            return super()._count_vocab(raw_documents, fixed_vocab)
        vocabulary = self.vocabulary_
        cached = self.__dict__.get("_word_ngrams")
        if cached is None or cached[0] is not vocabulary or len(cached[1]) > _MAX_CACHED_WORDS:
            cached = self._word_ngrams = (vocabulary, {})
        words_of, get = cached[1], vocabulary.get
        preprocess, decode, ngrams = self.build_preprocessor(), self.decode, self._char_wb_ngrams
        indices = array("q")  # machine integers: extending by a cached word is a copy, not a loop
        indptr = array("q", [0])
        for doc in raw_documents:
            for word in preprocess(decode(doc)).split():
                found = words_of.get(word)
                if found is None:
                    found = words_of[word] = array("q", [i for i in map(get, ngrams(word)) if i is not None])
                indices.extend(found)
            indptr.append(len(indices))
        kind = sp.csr_array if get_config().get("sparse_interface") == "sparray" else sp.csr_matrix
        X = kind((np.ones(len(indices), dtype=self.dtype), np.frombuffer(indices, dtype=np.int64),
                  np.frombuffer(indptr, dtype=np.int64)), shape=(len(indptr) - 1, len(vocabulary)))
        X.sum_duplicates()  # repeated n-grams become counts, indices sorted, as scikit-learn leaves them
        return vocabulary, X


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


def build_model(train_params: dict[str, Any]) -> Pipeline:
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
    return "-".join(parts)
