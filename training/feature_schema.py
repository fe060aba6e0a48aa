"""The input schema a model pins at training time: columns, kinds and category lists.

Categorical columns are the classic serving trap for LightGBM: a category's integer code depends
on the category list, which differs between frames. The schema pins the sorted union of the
categories seen in training and turns every frame into a float matrix with those codes; values
never seen in training (and missing values) become NaN, which the model treats as missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Kind = Literal["numeric", "category"]
MAX_NAMED = 20
FEW_ROWS = 8
"""Frames up to this many rows take the object-array path of :meth:`FeatureSchema.to_matrix`."""
_PLAIN_NUMBERS = {float, int, bool}
"""Cell types whose ``float`` is what numpy's object-to-float32 cast computes."""


def _missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and np.isnan(value))
    )


def _named(columns: Iterable[str]) -> str:
    columns = list(columns)
    shown = ", ".join(repr(c) for c in columns[:MAX_NAMED])
    more = len(columns) - MAX_NAMED
    return shown + (f" ... and {more} more" if more > 0 else "")


def _is_categorical_dtype(series: pd.Series) -> bool:
    return (
        isinstance(series.dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(series.dtype)
        or pd.api.types.is_string_dtype(series.dtype)
    )


def _numeric_dtype(dtype: object) -> bool:
    return pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)


def _observed_categories(series: pd.Series) -> set[str]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return {str(c) for c in series.cat.categories}
    return {str(v) for v in series.dropna().unique()}


@dataclass(frozen=True, eq=False)
class FrameValues:
    """The rows of a (small) frame as Python values, converted once for all their readers.

    Attributes:
        frame: The frame.
        values: ``frame.to_numpy(dtype=object)``.
        position: Position of each column name in ``values`` (the last one when repeated).
    """

    frame: pd.DataFrame
    values: np.ndarray
    position: Mapping[str, int]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> FrameValues:
        """Convert ``frame`` (meant for a few rows: it costs a Python object per cell)."""
        names = frame.columns.tolist()
        position = dict(zip(names, range(len(names)), strict=True))
        return cls(frame, frame.to_numpy(dtype=object), position)

    @property
    def unique_columns(self) -> bool:
        """Whether every column name occurs once."""
        return len(self.position) == self.values.shape[1]

    def column(self, name: str) -> np.ndarray:
        """One column's values, as ``frame[name].to_numpy(dtype=object)`` (unique names)."""
        return self.values[:, self.position[name]]

    def floats(self, name: str) -> np.ndarray | None:
        """A numeric column as float64 with missing values as NaN, as
        ``frame[name].to_numpy(dtype=float, na_value=np.nan)``; ``None`` unless every value is
        a plain number or a missing marker."""
        out = []
        for value in self.column(name).tolist():
            if type(value) in _PLAIN_NUMBERS:
                out.append(value)
            elif value is None or value is pd.NA:
                out.append(np.nan)
            else:
                return None
        return np.array(out, dtype=np.float64)


@dataclass(frozen=True)
class FeatureSchema:
    """Columns (in model order), their kind and the pinned category lists.

    Build it with :meth:`from_frames`; it never changes afterwards.
    """

    columns: tuple[str, ...]
    kinds: Mapping[str, Kind]
    categories: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_frames(
        cls,
        frames: Iterable[pd.DataFrame],
        columns: list[str],
        declared: Mapping[str, str] | None = None,
    ) -> FeatureSchema:
        """Pin the schema of ``columns`` from the training frames.

        Args:
            frames: Training frames (e.g. one per snapshot), each holding ``columns``.
            columns: Model columns, in order.
            declared: Registry dtype per column (``"category"`` marks categoricals even when a
                frame stores them as strings).
        """
        frames = list(frames)
        declared = declared or {}
        kinds: dict[str, Kind] = {}
        categories: dict[str, tuple[str, ...]] = {}
        for column in columns:
            is_cat = declared.get(column) == "category" or any(
                _is_categorical_dtype(frame[column]) for frame in frames
            )
            kinds[column] = "category" if is_cat else "numeric"
            if is_cat:
                seen: set[str] = set()
                for frame in frames:
                    seen |= _observed_categories(frame[column])
                categories[column] = tuple(sorted(seen))
        return cls(tuple(columns), kinds, categories)

    def select(self, columns: list[str]) -> FeatureSchema:
        """The schema restricted to ``columns`` (in that order), categories kept."""
        return FeatureSchema(
            tuple(columns),
            {c: self.kinds[c] for c in columns},
            {c: self.categories[c] for c in columns if c in self.categories},
        )

    @property
    def categorical_columns(self) -> list[str]:
        """Categorical columns, in model order."""
        return [c for c in self.columns if self.kinds[c] == "category"]

    @property
    def numeric_columns(self) -> list[str]:
        """Numeric (float, int, bool) columns, in model order."""
        return [c for c in self.columns if self.kinds[c] == "numeric"]

    @property
    def categorical_indices(self) -> list[int]:
        """Positions of the categorical columns in the model matrix."""
        return [i for i, c in enumerate(self.columns) if self.kinds[c] == "category"]

    def check(self, frame: pd.DataFrame, derived: Iterable[str] = ()) -> None:
        """Raise when ``frame`` does not match the schema.

        Args:
            frame: Input frame.
            derived: Schema columns the model computes itself (not expected in ``frame``).

        Raises:
            ValueError: Naming the missing columns, the unexpected ones, and numeric columns
                holding non-numeric data.
        """
        derived = set(derived)
        expected = [c for c in self.columns if c not in derived]
        names = frame.columns.tolist()
        present = set(names)
        missing = [c for c in expected if c not in present]
        wanted = set(expected)
        extra = [c for c in names if c not in wanted]
        problems = []
        if missing:
            problems.append(f"missing columns: {_named(missing)}")
        if extra:
            problems.append(f"unexpected columns: {_named(extra)}")
        if problems:
            raise ValueError(
                "feature frame does not match the model's features ("
                + "; ".join(problems)
                + f"); the model expects {len(expected)} columns"
            )
        dtypes = dict(zip(names, frame.dtypes.tolist(), strict=True))
        numeric: dict[int, bool] = {}
        bad = []
        for column in expected:
            if self.kinds[column] != "numeric":
                continue
            dtype = dtypes[column]
            if id(dtype) not in numeric:
                numeric[id(dtype)] = _numeric_dtype(dtype)
            if not numeric[id(dtype)]:
                bad.append(column)
        if bad:
            raise ValueError(f"numeric feature columns hold non-numeric data: {_named(bad)}")

    def codes(self, column: str, values: pd.Series) -> np.ndarray:
        """Pinned category codes of one column as float32; unseen or missing values are NaN."""
        pinned = pd.Index(self.categories[column])
        if isinstance(values.dtype, pd.CategoricalDtype):
            lookup = pinned.get_indexer(values.cat.categories.astype(str))
            raw = values.cat.codes.to_numpy()
            codes = np.where(raw >= 0, lookup[np.maximum(raw, 0)], -1)
        else:
            text = values.astype("string").to_numpy(dtype=object, na_value=None)
            codes = pinned.get_indexer(pd.Index(text, dtype=object))
        out = codes.astype(np.float32)
        out[codes < 0] = np.nan
        return out

    def to_matrix(
        self, frame: pd.DataFrame, extra: Mapping[str, np.ndarray] | None = None
    ) -> np.ndarray:
        """The model matrix (rows of ``frame``, schema column order) as float32.

        Numeric columns are converted in one block (per-column access costs more than the
        conversion for the few rows of an online request); categoricals get their pinned codes.

        Args:
            frame: Rows holding every schema column not given in ``extra``.
            extra: Numeric columns computed outside the frame (e.g. the text score), by name.
        """
        extra = extra or {}
        if len(frame) <= FEW_ROWS:
            return self._few_rows_matrix(frame, extra)
        matrix = np.empty((len(frame), len(self.columns)), dtype=np.float32)
        numeric = [c for c in self.numeric_columns if c not in extra]
        if numeric:
            positions = [self.columns.index(c) for c in numeric]
            matrix[:, positions] = frame[numeric].to_numpy(dtype=np.float32, na_value=np.nan)
        for column, values in extra.items():
            matrix[:, self.columns.index(column)] = values
        for i in self.categorical_indices:
            column = self.columns[i]
            matrix[:, i] = self.codes(column, frame[column])
        return matrix

    def _few_rows_matrix(self, frame: pd.DataFrame, extra: Mapping[str, np.ndarray]) -> np.ndarray:
        """The same matrix through one object array: for a few rows (the real-time path) that
        costs less than selecting and converting pandas blocks."""
        return self.values_matrix(FrameValues.of(frame), extra)

    def values_matrix(
        self, rows: FrameValues, extra: Mapping[str, np.ndarray] | None = None
    ) -> np.ndarray:
        """:meth:`to_matrix` of a few rows already converted to Python values.

        Args:
            rows: The frame's values.
            extra: Numeric columns computed outside the frame, by name.
        """
        extra = extra or {}
        values, position = rows.values, rows.position
        matrix = np.empty((len(values), len(self.columns)), dtype=np.float32)
        plain: list[tuple[int, int]] = []
        for i, column in enumerate(self.columns):
            if column in extra:
                matrix[:, i] = extra[column]
            elif self.kinds[column] == "category":
                pinned = self.categories[column]
                matrix[:, i] = [
                    pinned.index(str(v)) if not _missing(v) and str(v) in pinned else np.nan
                    for v in values[:, position[column]]
                ]
            else:
                plain.append((i, position[column]))
        if plain:
            targets, sources = (list(side) for side in zip(*plain, strict=True))
            cells = values[:, sources]
            if {type(v) for v in cells.ravel().tolist()} <= _PLAIN_NUMBERS:
                block = cells.astype(np.float32)
                block[np.isnan(block)] = np.nan
                matrix[:, targets] = block
            else:
                for target, source in plain:
                    matrix[:, target] = [
                        np.nan if _missing(v) else float(v) for v in values[:, source]
                    ]
        return matrix

    def to_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Numeric columns as float32 and categoricals with the pinned categories (for sklearn)."""
        out = {}
        for column in self.columns:
            values = frame[column]
            if self.kinds[column] == "category":
                codes = self.codes(column, values)
                codes = np.where(np.isnan(codes), -1, codes).astype(np.int64)
                out[column] = pd.Categorical.from_codes(codes, categories=self.categories[column])
            else:
                out[column] = values.to_numpy(dtype=np.float32, na_value=np.nan)
        return pd.DataFrame(out, index=frame.index)
