"""Contract violations: what broke, where, how often, with first examples (PII redacted)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    """One broken rule in one column of one table.

    Attributes:
        table: Contract table name.
        column: Column name, or ``"*"`` for table-level rules.
        rule: The rule that failed, e.g. ``"isin(['hotline', ...])"`` or ``"missing column"``.
        count: How many rows broke it.
        examples: First offending rows as ``"row 12: 'xyz'"`` (values of PII columns redacted).
    """

    table: str
    column: str
    rule: str
    count: int
    examples: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        """One readable line for an operator's data engineer."""
        shown = "; ".join(self.examples)
        suffix = f" — e.g. {shown}" if shown else ""
        return f"{self.table}.{self.column}: {self.rule} — {self.count} row(s){suffix}"


class ContractError(ValueError):
    """Input data broke the data contract. Nothing was written."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        lines = [v.describe() for v in violations]
        super().__init__(
            f"{len(violations)} contract violation(s); nothing was written:\n  "
            + "\n  ".join(lines)
        )


def examples_from(
    rows: list[int], values: list[object], pii: bool, limit: int = 5
) -> tuple[str, ...]:
    """Format the first offending rows, hiding values of PII columns.

    Args:
        rows: 1-based data row numbers (header excluded) of offending rows.
        values: The offending values, aligned with ``rows``.
        pii: Whether the column holds personal data.
        limit: How many examples to keep.

    Returns:
        Up to ``limit`` formatted examples.
    """
    out = []
    for row, value in list(zip(rows, values, strict=False))[:limit]:
        shown = repr(value) if isinstance(value, str) else str(value)
        out.append(f"row {row}" if pii else f"row {row}: {shown}")
    return tuple(out)
