"""Column types on the sandbox side: one ``ColumnType`` record per type.

A record holds everything the sandbox does per column type (``COLUMN_TYPES``): the GraphQL
``ColumnValue`` implementation it answers with, how a written value is stored, how the
simple string form of ``change_simple_column_value`` reads, ``ColumnValue.text``, what
``items_page`` rules compare, and for label-bearing types their settings. Each record is
registered right after its storer, so a new column type touches one record (and its
``...Value`` type in ``schema.graphql``).

Settings (``Column.settings``, the typed format):

* status: ``{"type": "status", "labels": [{"id", "label", "color", "index", "is_done",
  "description", "is_deactivated", "hex"}]}``; a label's id is its colour's id, so a colour
  is used once per column. A status column created without labels gets "Working on it"
  (working_orange, 0), "Done" (done_green, 1, done) and "Stuck" (stuck_red, 2). Label id
  5 is monday's "empty" label: it is not listed, writing ``{"index": 5}`` clears the value
  and filtering ``any_of [5]`` matches items without a status.
* dropdown: ``{"labels": [{"id", "label", "is_deactivated"}], "limit_select",
  "label_limit_count"}`` with ids 1, 2, ... in creation order, never reused.
* every other type: ``{}``.

``settings_str`` (legacy, deprecated) is derived on read by ``legacy_settings``.

Values: ``store_value`` turns what a client writes (the documented "write" form, or the
simple string form of ``change_simple_column_value``) into the stored form, and
``value_text`` derives ``ColumnValue.text`` from it. The table of forms is in
``boardops/sandbox/__init__.py``.
"""

from boardops.sandbox.values import labels, scalars  # their records register themselves

__all__ = ["labels", "scalars"]
