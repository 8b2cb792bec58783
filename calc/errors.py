"""The package's exceptions: one for bad input, one for bad bundled data. Both are ValueErrors."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one request field, worded for a clinician."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class InputError(ValueError):
    """The request has one or more bad fields; ``errors`` lists every one of them, not just the first."""

    def __init__(self, errors: list[FieldError]) -> None:
        if not errors:
            raise ValueError("InputError needs at least one FieldError")
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))

    def as_list(self) -> list[dict[str, str]]:
        return [e.as_dict() for e in self.errors]


class DataError(ValueError):
    """The bundled guideline data is inconsistent (a bug in the package, caught when it loads)."""
