"""What the app takes from HTTP before any view runs: ids that fit the database, and bodies
that can be read. A request that fails here is the client's error (404 or 400), never a 500
from deep inside a view or the database driver.
"""

from __future__ import annotations

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.routing import IntegerConverter, UnicodeConverter
from werkzeug.utils import cached_property

# PostgreSQL's integer, the type of every id column; SQLite's is wider. A larger number can
# name no row, and PostgreSQL refuses to compare a column with it.
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route: a number beyond the id range matches nothing (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class TextConverter(UnicodeConverter):
    """Every text part of a path (slugs, codes, tokens, file names): one with a control
    character matches no route (404)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f]", 1)


def id_arg(value: str) -> int:
    """``type=`` for an id in a query string: a number that could name a row, or ValueError
    (which ``request.args.get`` turns into its default)."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(f"{value!r} is not an id")
    return number


def page_arg(value: str) -> int:
    """``type=`` for a page number: 1 up to the id range, or ValueError (the default page)."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"{value!r} is not a page number")
    return number


class EventHubRequest(Request):
    """A body the server cannot read (a broken chunked encoding: the WSGI server raises its
    own error while the form is read), a multipart part without a name (a ``None`` key,
    which breaks any code that reads field names, CSRF's included) and a query string with
    a NUL (PostgreSQL refuses one in any text it is asked to compare) are a 400. NULs in
    form fields are the forms' to refuse, beside the field."""

    @cached_property
    def args(self) -> MultiDict[str, str]:
        args = super().args
        if any("\x00" in k or "\x00" in v for k, v in args.items(multi=True)):
            # Whatever reads the query after the 400 (the error page) finds it empty.
            self.__dict__["args"] = ImmutableMultiDict()
            raise BadRequest("The address holds a NUL character.")
        return args

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except HTTPException:
            raise
        except Exception:  # whatever the server's input stream raises mid-body
            self._drop_form()
            raise BadRequest("The request body could not be read.") from None
        if None in self.form or None in self.files:
            self._drop_form()
            raise BadRequest("A part of the form has no name.")

    def get_data(self, *args, **kwargs):
        try:
            return super().get_data(*args, **kwargs)
        except HTTPException:
            raise
        except Exception:
            raise BadRequest("The request body could not be read.") from None

    def _drop_form(self) -> None:
        # Anything that reads the form after the 400 (the error page) finds it empty.
        self.__dict__["form"] = ImmutableMultiDict()
        self.__dict__["files"] = ImmutableMultiDict()


def configure_http(app: Flask) -> None:
    """Before the blueprints: their rules take the converter when they are added."""
    app.request_class = EventHubRequest
    app.url_map.converters["int"] = DatabaseIdConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextConverter
