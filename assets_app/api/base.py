"""flask-smorest glue: Indonesian validation messages, `{"errors": …}` bodies, pagination."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask import current_app
from flask_smorest import Api as _SmorestApi
from flask_smorest import Blueprint as _SmorestBlueprint
from flask_smorest import abort as _abort
from webargs.flaskparser import FlaskParser, is_json_request
from webargs.flaskparser import abort as _webargs_abort

from assets_app.api.schemas import Int
from assets_app.common.validate import MAX_INT32, control_message, forbidden_char

# Marshmallow's default messages, in Indonesian, for every schema in the app.
ma.fields.Field.default_error_messages.update(
    {
        "required": "Wajib diisi.",
        "null": "Tidak boleh kosong.",
        "validator_failed": "Nilai tidak valid.",
    }
)
ma.fields.String.default_error_messages.update({"invalid": "Harus berupa teks."})
ma.fields.Integer.default_error_messages.update({"invalid": "Harus berupa bilangan bulat."})
ma.fields.Number.default_error_messages.update(
    {"invalid": "Harus berupa angka.", "too_large": "Angka terlalu besar."}
)
ma.fields.Boolean.default_error_messages.update({"invalid": "Harus true atau false."})
ma.fields.Date.default_error_messages.update(
    {"invalid": "Tanggal tidak valid (format YYYY-MM-DD).", "format": "Format tanggal salah."}
)
ma.fields.DateTime.default_error_messages.update(
    {"invalid": "Waktu tidak valid (format ISO 8601).", "invalid_awareness": "Zona waktu wajib."}
)
ma.fields.List.default_error_messages.update({"invalid": "Harus berupa daftar."})
ma.fields.Dict.default_error_messages.update({"invalid": "Harus berupa objek."})
ma.Schema._default_error_messages = {
    **ma.Schema._default_error_messages,
    "type": "Data masukan tidak valid.",
    "unknown": "Kolom tidak dikenal.",
}
ma.validate.OneOf.default_message = "Harus salah satu dari: {choices}."
ma.validate.Range.message_min = "Harus {min_op} {{min}}."
ma.validate.Range.message_max = "Harus {max_op} {{max}}."
ma.validate.Range.message_all = "Harus {min_op} {{min}} dan {max_op} {{max}}."
ma.validate.Range.message_gte = "lebih besar atau sama dengan"
ma.validate.Range.message_gt = "lebih besar dari"
ma.validate.Range.message_lte = "lebih kecil atau sama dengan"
ma.validate.Range.message_lt = "lebih kecil dari"
ma.validate.Length.message_min = "Minimal {min} karakter."
ma.validate.Length.message_max = "Maksimal {max} karakter."
ma.validate.Length.message_all = "Panjang harus antara {min} dan {max} karakter."

MAX_PER_PAGE = 500


JSON_MAX_DEPTH = 32
JSON_MAX_BYTES = 1024 * 1024


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:g} MB".replace(".", ",")
    return f"{n // 1024} KB" if n >= 1024 else f"{n} bita"


def _body_error(message: str):
    _abort(400, errors={"_body": [message]})


def check_json_value(value, max_depth: int = JSON_MAX_DEPTH) -> None:
    """400 for a parsed JSON body nested deeper than `max_depth`, or holding (in a key or a
    text value) a control character, NUL or lone surrogate; the message names the field."""
    # each entry: (item, depth, parent entry, key); the dotted path is built only for a fault
    stack: list[tuple] = [(value, 1, None, None)]
    while stack:
        entry = stack.pop()
        item, depth = entry[0], entry[1]
        if isinstance(item, dict):
            if depth > max_depth:
                _body_error(f"Struktur JSON terlalu dalam (maksimal {max_depth} tingkat).")
            for key, child in item.items():
                if not key.isprintable() and forbidden_char(key, allow_cr=True) is not None:
                    _body_error("Nama kolom berisi karakter kendali yang tidak diizinkan.")
                stack.append((child, depth + 1, entry, key))
        elif isinstance(item, list):
            if depth > max_depth:
                _body_error(f"Struktur JSON terlalu dalam (maksimal {max_depth} tingkat).")
            stack.extend((child, depth + 1, entry, i) for i, child in enumerate(item))
        elif isinstance(item, str) and not item.isprintable():
            bad = forbidden_char(item, allow_cr=True)
            if bad is not None:
                path = _json_path(entry)
                _abort(400, errors={path or "_body": [control_message(bad, path or None)]})


def _json_path(entry) -> str:
    keys = []
    while entry is not None and entry[2] is not None:
        keys.append(str(entry[3]))
        entry = entry[2]
    return ".".join(reversed(keys))


class _Parser(FlaskParser):
    """Malformed JSON gets an Indonesian `{"errors": {"_schema": [...]}}` 400; so does a body
    over `API_JSON_MAX_BYTES`, nested deeper than `API_JSON_MAX_DEPTH`, or with a control
    character in any text (checked here, once, for every schema of every API blueprint)."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return ma.missing
        limit = int(current_app.config.get("API_JSON_MAX_BYTES", JSON_MAX_BYTES))
        if (req.content_length or 0) > limit or len(req.get_data(cache=True)) > limit:
            _body_error(f"Badan permintaan terlalu besar (maksimal {_size(limit)}).")
        try:
            data = super()._raw_load_json(req)
        except RecursionError:
            _body_error("Struktur JSON terlalu dalam.")
        if data is not ma.missing:
            check_json_value(
                data, int(current_app.config.get("API_JSON_MAX_DEPTH", JSON_MAX_DEPTH))
            )
        return data

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        _webargs_abort(
            400,
            exc=error,
            messages={"json": {"_schema": ["Badan permintaan bukan JSON yang valid."]}},
        )


class Blueprint(_SmorestBlueprint):
    """Every API blueprint of the app: Indonesian messages for malformed JSON too."""

    ARGUMENTS_PARSER = _Parser()


class Api(_SmorestApi):
    """Error handling is done once, app-wide, in assets_app.core.errors."""

    def _register_error_handlers(self):
        return None


def api_error(status: int, errors: dict[str, list[str]] | str):
    if isinstance(errors, str):
        errors = {"_schema": [errors]}
    _abort(status, errors=errors)


def flatten_validation_messages(messages: dict) -> dict:
    """webargs nests by location ({"json": {...}}); the API contract is flat by field."""
    flat: dict = {}
    for location, fields in messages.items():
        if location in ("json", "query", "form", "files", "headers") and isinstance(fields, dict):
            for key, msgs in fields.items():
                flat.setdefault(key, []).extend(msgs if isinstance(msgs, list) else [msgs])
        else:
            flat.setdefault(location, []).extend(fields if isinstance(fields, list) else [fields])
    return flat


TEXT = ma.fields.String._serialize
INTEGER = (ma.fields.Integer._serialize, ma.fields.Integer._format_num)


class RowOut(ma.Schema):
    """An output schema of model rows, dumped without marshmallow's per-value lookups.

    `Schema.dump` pulls each value through `Field.serialize`, the schema's accessor and
    `utils.get_value` (which tries `obj[key]` first): half the time of a 25-row API page's
    dump. An object without `__getitem__` and an attribute without a dot read the same as
    `getattr`, so those values go straight to the field's own `_serialize`, which formats them
    exactly as `dump` does; anything else (a dict, a Row, a missing value and its default, a
    field that reads no attribute) takes marshmallow's own path."""

    def _serialize(self, obj, *, many: bool = False):
        if many and obj is not None:
            return [self._serialize(one) for one in obj]
        if obj is None or hasattr(type(obj), "__getitem__"):
            return super()._serialize(obj)
        plan = self.__dict__.get("_row_plan") or self._plan()
        out = self.dict_class()
        for name, key, field, attr, same in plan:
            value = ma.missing if attr is None else getattr(obj, attr, ma.missing)
            if value is ma.missing:
                value = field.serialize(name, obj, accessor=self.get_attribute)
                if value is ma.missing:
                    continue
            elif not (value is None and same) and type(value) is not same:
                value = field._serialize(value, name, obj)
            out[key] = value
        return out

    def _plan(self) -> list[tuple]:
        """Per field: (name, output key, field, attribute or None for marshmallow's path,
        the type the field writes as it is: `str` for a text field, `int` for an integer
        field, which return such a value (and None) unchanged)."""
        plan = []
        for name, field in self.dump_fields.items():
            attr = field.attribute or name
            direct = field._CHECK_ATTRIBUTE and "." not in attr
            kind = type(field)
            same = None
            if isinstance(field, ma.fields.String) and kind._serialize is TEXT:
                same = str
            elif (
                isinstance(field, ma.fields.Integer)  # not a Float: Number's _serialize too
                and (kind._serialize, kind._format_num) == INTEGER
                and not field.as_string
            ):
                same = int
            key = field.data_key if field.data_key is not None else name
            plan.append((name, key, field, attr if direct else None, same))
        self._row_plan = plan
        return plan


class Timestamps(RowOut):
    """Output fields every stored row has; an output schema inherits them."""

    id = Int()
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class PageArgs(ma.Schema):
    page = Int(load_default=1, validate=ma.validate.Range(min=1, max=MAX_INT32))
    per_page = Int(load_default=50, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE))
    region = ma.fields.String(load_default=None)


def sort_field(sorts, default: str) -> ma.fields.String:
    """A `sort` query argument: one of `sorts` (keys), optionally prefixed with `-`."""
    keys = list(sorts)
    return ma.fields.String(
        load_default=default,
        validate=ma.validate.OneOf([*keys, *(f"-{k}" for k in keys)]),
    )


def order_by(key: str, sorts: dict[str, list], tiebreak=None) -> list:
    """`-name` → the columns of `sorts["name"]` descending, then the tie-breaker ascending."""
    desc = key.startswith("-")
    cols = sorts[key.lstrip("-")]
    order = [c.desc() if desc else c.asc() for c in cols]
    return [*order, tiebreak] if tiebreak is not None else order


def paginated(
    stmt: sa.Select,
    args: dict,
    *,
    scalars: bool = True,
    sorts: dict[str, list] | None = None,
    tiebreak=None,
):
    """The API list helper: (items, headers) for a smorest view — one page of `stmt` (already
    filtered by scope and filters), ordered by `args["sort"]` when `sorts` is given, with
    `X-Total-Count`, `X-Page` and `X-Per-Page`."""
    from assets_app.common.pagination import paginate

    if sorts is not None:
        stmt = stmt.order_by(*order_by(args["sort"], sorts, tiebreak))
    page = paginate(stmt, args["page"], args["per_page"], scalars=scalars, clamp=False)
    headers = {
        "X-Total-Count": str(page.total),
        "X-Page": str(page.page),
        "X-Per-Page": str(page.per_page),
    }
    return page.items, headers
