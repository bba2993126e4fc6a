"""The baseline apply is measured against: a hand-written integration.

This is how a script that fills a monday board usually looks: one ``create_item``
request per row, values written as monday's documentation shows them (status by label
text), no batching, no reading back. It is deliberately plain, not deliberately slow:
each request is the one-item mutation monday's docs use as their example.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

CREATE_ITEM = """
mutation ($board_id: ID!, $group_id: String, $item_name: String!, $column_values: JSON) {
  create_item(board_id: $board_id, group_id: $group_id, item_name: $item_name,
              column_values: $column_values) { id }
}
""".strip()


def create_items(
    http: httpx.Client,
    board_id: str,
    group_id: str,
    rows: Iterable[tuple[str, Mapping[str, Any]]],
) -> list[str]:
    """Create each (name, column values) row with its own request; the new item ids."""
    ids = []
    for name, values in rows:
        response = http.post(
            "",
            json={
                "query": CREATE_ITEM,
                "variables": {
                    "board_id": board_id,
                    "group_id": group_id,
                    "item_name": name,
                    "column_values": json.dumps(values),
                },
            },
        )
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"create_item failed: {body['errors'][0].get('message')}")
        ids.append(str(body["data"]["create_item"]["id"]))
    return ids
