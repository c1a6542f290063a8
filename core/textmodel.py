"""The router's fitted classifier as plain numpy arrays: predictions without scikit-learn.

scikit-learn fits the router (TF-IDF over word and character n-grams, a linear SVM), but
importing it (scipy with it) takes 1-2 s, longer than everything else a first answer needs. So
the fitted pipeline is exported once to what prediction uses: each vectorizer's vocabulary and
idf, the SVM's coefficients and intercepts, and the normalised training matrix (for the
similarity to the nearest example). ``TextModel`` applies them with numpy and a tokenizer that
reproduces scikit-learn's ``word`` and ``char_wb`` analyzers exactly; a test checks that its
margins equal ``decision_function``'s on every question of the routing set.

The export is a NumPy ``.npz`` of plain arrays (no scikit-learn class, no pickle in it), so loading
it imports nothing heavier than numpy and runs no code from the file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: the vectorizers' settings, shared by the scikit-learn pipeline (``router.build_model``) and
#: the export, so the two cannot drift apart
WORD_NGRAMS = (1, 2)
WORD_TOKEN = r"(?u)\b\w[\w'-]*\b"
CHAR_NGRAMS = (2, 5)

_WORD_TOKEN = re.compile(WORD_TOKEN)
_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's VectorizerMixin._white_spaces


def word_ngrams(text: str) -> list[str]:
    """scikit-learn's ``analyzer="word"`` with ``WORD_TOKEN`` and ``WORD_NGRAMS``: lowercased
    tokens, then their n-grams joined by a space."""
    tokens = _WORD_TOKEN.findall(text.lower())
    low, high = WORD_NGRAMS
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def char_wb_ngrams(text: str) -> list[str]:
    """scikit-learn's ``analyzer="char_wb"`` with ``CHAR_NGRAMS``: character n-grams inside each
    space-padded word; a word shorter than n gives itself once."""
    low, high = CHAR_NGRAMS
    grams = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        word = f" {word} "
        for n in range(low, high + 1):
            if len(word) <= n:
                grams.append(word)
                break
            grams += [word[i:i + n] for i in range(len(word) - n + 1)]
    return grams


ANALYZERS = {"word": word_ngrams, "char_wb": char_wb_ngrams}


@dataclass
class Tfidf:
    """One fitted TfidfVectorizer (sublinear tf, idf, l2 norm): its analyzer, vocabulary and idf."""

    analyzer: str
    vocabulary: dict[str, int]
    idf: np.ndarray

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(sorted feature indices, tf-idf values) of ``text``, l2-normalised as scikit-learn does."""
        counts: dict[int, int] = {}
        for gram in ANALYZERS[self.analyzer](text):
            j = self.vocabulary.get(gram)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        index = np.array(sorted(counts), dtype=np.int64)
        values = (np.log(np.array([counts[j] for j in index], dtype=np.float64)) + 1.0) * self.idf[index]
        norm = np.sqrt(np.dot(values, values))
        return index, values / norm if norm > 0 else values


@dataclass
class TextModel:
    """A fitted FeatureUnion of ``Tfidf`` parts and a one-vs-rest linear classifier, with the
    l2-normalised training matrix (column-compressed) and its labels."""

    parts: list[Tfidf]
    coef: np.ndarray  # (classes or 1, features)
    intercept: np.ndarray
    classes: list[str]
    train: tuple[np.ndarray, np.ndarray, np.ndarray]  # CSC (indptr, row indices, values) of the training matrix
    train_labels: np.ndarray

    @classmethod
    def from_pipeline(cls, pipeline: Any, texts: list[str], labels: list[str]) -> TextModel:
        """Export a fitted ``router.build_model()`` pipeline (scikit-learn is needed here only)."""
        from sklearn.preprocessing import normalize

        union, svm = pipeline.named_steps["features"], pipeline.named_steps["classify"]
        parts = []
        for _, vectorizer in union.transformer_list:
            vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
            parts.append(Tfidf(vectorizer.analyzer, vocabulary, np.asarray(vectorizer.idf_, dtype=np.float64)))
        matrix = normalize(union.transform(texts)).tocsc()
        matrix.sort_indices()
        return cls(parts, np.asarray(svm.coef_, dtype=np.float64), np.asarray(svm.intercept_, dtype=np.float64),
                   [str(c) for c in svm.classes_], (matrix.indptr, matrix.indices, matrix.data), np.array(labels))

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The FeatureUnion's row for ``text``: each part's (indices, values), side by side."""
        indices, values, offset = [], [], 0
        for part in self.parts:
            index, vals = part.vector(text)
            indices.append(index + offset)
            values.append(vals)
            offset += len(part.idf)
        return np.concatenate(indices), np.concatenate(values)

    def margins(self, vector: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """The classifier's ``decision_function`` for one row (one value per class, or one in all
        for two classes)."""
        index, values = vector
        return self.coef[:, index] @ values + self.intercept

    def similarities(self, vector: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Cosine similarity of the row to every training text."""
        index, values = vector
        norm = np.sqrt(np.dot(values, values))
        indptr, rows, data = self.train
        if norm == 0:
            return np.zeros(len(self.train_labels))
        # every training entry of the row's features, side by side, summed per training text in the
        # order a feature-by-feature loop would add them (the same floats, a third of the time)
        spans = [(indptr[j], indptr[j + 1]) for j in index.tolist()]
        at = np.concatenate([rows[s:e] for s, e in spans])
        weights = np.concatenate([data[s:e] * v for (s, e), v in zip(spans, (values / norm).tolist())])
        return np.bincount(at, weights=weights, minlength=len(self.train_labels))

    @functools.cached_property
    def label_rows(self) -> dict[str, np.ndarray]:
        """{label: the rows of the training texts it labels}."""
        return {str(label): np.flatnonzero(self.train_labels == label) for label in np.unique(self.train_labels)}

    def save(self, path: Path) -> None:
        """Write as a NumPy ``.npz`` of plain arrays (strings as unicode arrays): loading it runs
        no pickle, so a cache file cannot carry code."""
        arrays: dict[str, np.ndarray] = {"coef": self.coef, "intercept": self.intercept,
                                         "classes": np.array(self.classes, dtype=str),
                                         "train_indptr": self.train[0], "train_rows": self.train[1],
                                         "train_data": self.train[2], "train_labels": self.train_labels.astype(str)}
        for i, part in enumerate(self.parts):
            words = sorted(part.vocabulary, key=part.vocabulary.__getitem__)  # column j holds words[j]
            arrays |= {f"analyzer_{i}": np.array(part.analyzer), f"words_{i}": np.array(words, dtype=str),
                       f"idf_{i}": part.idf}
        with open(path, "wb") as f:
            np.savez(f, **arrays)

    @classmethod
    def load(cls, path: Path) -> TextModel:
        with np.load(path, allow_pickle=False) as z:
            parts = []
            for i in range(sum(1 for name in z.files if name.startswith("analyzer_"))):
                words = z[f"words_{i}"].tolist()
                parts.append(Tfidf(str(z[f"analyzer_{i}"]), dict(zip(words, range(len(words)))), z[f"idf_{i}"]))
            return cls(parts, z["coef"], z["intercept"], z["classes"].tolist(),
                       (z["train_indptr"], z["train_rows"], z["train_data"]), z["train_labels"])
