"""The codec of each column type, by type name.

Each ``TypeCodec`` has three functions. ``canonical`` receives a value that is not empty
(see ``is_empty``) and returns the canonical human form, or None when the value means
"empty" (``false`` in a checkbox, rating 0); it raises ``CodecError`` for a value of the
wrong shape. ``write`` receives a canonical value and returns monday's write form. ``read``
receives a stored value that is not None and returns the canonical form; it raises
``Unreadable`` when the stored JSON has a shape it does not know, and the caller then falls
back to monday's text.
"""

from __future__ import annotations

from collections.abc import Mapping

from boardops.codec import _contact, _labels, _links, _places, _scalars, _time
from boardops.codec._base import TypeCodec

CODECS: Mapping[str, TypeCodec] = {
    **_scalars.CODECS,
    **_labels.CODECS,
    **_time.CODECS,
    **_contact.CODECS,
    **_places.CODECS,
    **_links.CODECS,
}
