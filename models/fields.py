"""Field types whose value rules are enforced by the database, not only by Python."""

from enum import Enum
from typing import Any

from tortoise.fields.data import BigIntField, CharEnumFieldInstance, FloatField, IntField


class EnumField(CharEnumFieldInstance):
    """A VARCHAR enum column with a CHECK constraint listing the allowed values.

    Tortoise and aerich generate no CHECK constraints, so the constraint rides in the column type:
    the same DDL then comes out of `generate_schemas` (SQLite) and aerich migrations (PostgreSQL).
    """

    def __init__(self, enum_type: type[Enum], **kwargs: Any) -> None:
        super().__init__(enum_type, **kwargs)

    @property
    def SQL_TYPE(self) -> str:  # type: ignore[override]  # noqa: N802 - Tortoise's name
        values = ", ".join(f"'{member.value}'" for member in self.enum_type)
        return f'VARCHAR({self.max_length}) CHECK ("{self.model_field_name}" IN ({values}))'


class CheckedIntField(IntField[int]):
    """An INT column whose bounds are checked by the database."""

    def __init__(self, *, minimum: int, maximum: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum = minimum
        self.maximum = maximum

    @property
    def SQL_TYPE(self) -> str:  # type: ignore[override]  # noqa: N802
        column = f'"{self.model_field_name}"'
        if self.maximum is None:
            return f"INT CHECK ({column} >= {self.minimum})"
        return f"INT CHECK ({column} BETWEEN {self.minimum} AND {self.maximum})"


def _range_check(column: str, minimum: float | None, maximum: float | None) -> str:
    if maximum is None:
        return f'CHECK ("{column}" >= {minimum})'
    if minimum is None:
        return f'CHECK ("{column}" <= {maximum})'
    return f'CHECK ("{column}" BETWEEN {minimum} AND {maximum})'


class CheckedBigIntField(BigIntField):
    """A BIGINT column whose bounds are checked by the database."""

    def __init__(self, *, minimum: int, maximum: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum = minimum
        self.maximum = maximum

    @property
    def SQL_TYPE(self) -> str:  # type: ignore[override]  # noqa: N802
        return f"BIGINT {_range_check(self.model_field_name, self.minimum, self.maximum)}"


class CheckedFloatField(FloatField[float]):
    """A floating-point column whose bounds are checked by the database."""

    def __init__(self, *, minimum: float, maximum: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum = minimum
        self.maximum = maximum

    @property
    def check(self) -> str:
        return _range_check(self.model_field_name, self.minimum, self.maximum)

    @property
    def SQL_TYPE(self) -> str:  # type: ignore[override]  # noqa: N802
        return f"DOUBLE PRECISION {self.check}"

    class _db_sqlite:  # noqa: N801 - the name Tortoise looks for
        # Tortoise looks dialect overrides up here; a property gets the field as `field`.
        def __init__(self, field: "CheckedFloatField") -> None:
            self.field = field

        @property
        def SQL_TYPE(self) -> str:  # noqa: N802
            return f"REAL {self.field.check}"
