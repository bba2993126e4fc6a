"""Behaviour that depends on the profile (see ``profiles.py``): the resolvers and checks
consult ``ctx.profile``'s flags."""

from __future__ import annotations

from boardops.sandbox.executor import Resolver

TYPE_RESOLVERS: dict[str, dict[str, Resolver]] = {}
