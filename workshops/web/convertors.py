"""The `{name:id}` path convertor: a database id of at most nine digits.

Starlette's `int` convertor accepts any length; a 30-digit id would overflow the database
integer and turn into a 500. With this one such a URL is simply not found.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class IdConvertor(Convertor[int]):
    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())
