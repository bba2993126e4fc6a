"""``boardops sandbox serve``, ``show`` and ``reset``: the local monday emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


def serve(
    host: str,
    port: int,
    state_path: Path,
    fault_spec: str | None,
    latency_ms: float | None,
    jitter_ms: float | None,
    rate_429: float | None,
    rate_5xx: float | None,
    rate_timeout: float | None,
    rate_lost_ack: float | None,
    seed: int,
    log_requests: bool,
    sandbox_profile: Any,
    allow_non_loopback: bool = False,
    allowed_hosts: tuple[str, ...] = (),
    admin: bool = False,
    admin_token_file: Path | None = None,
    max_connections: int = 64,
    server_ms_per_mutation: float = 0.0,
) -> None:
    """Serve the sandbox as monday's API at http://HOST:PORT/v2 until interrupted."""
    from boardops.errors import UsageError
    from boardops.sandbox import Faults, Sandbox
    from boardops.sandbox.server import ADMIN_TOKEN_HEADER, SandboxServer, is_loopback

    if admin_token_file is not None and not admin:
        raise click.UsageError("--admin-token-file needs --admin")
    if not is_loopback(host) and not allow_non_loopback:
        raise click.UsageError(
            f"--host {host} is not a loopback address: other machines could use the sandbox; "
            "add --allow-non-loopback if that is what you want"
        )
    try:
        faults = Faults.from_env() or Faults()
        if fault_spec:
            faults = faults.merged(Faults.parse(fault_spec))
        flags = Faults(
            latency_ms=latency_ms or 0.0,
            jitter_ms=jitter_ms or 0.0,
            rate_limit=rate_429 or 0.0,
            server_error=rate_5xx or 0.0,
            timeout=rate_timeout or 0.0,
            lost_ack=rate_lost_ack or 0.0,
        )
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    try:
        emulator = Sandbox(
            state_path,
            faults=faults.merged(flags),
            seed=seed,
            profile=sandbox_profile,
            server_ms_per_mutation=server_ms_per_mutation,
        )
    except ValueError as error:  # not a sandbox state file
        raise UsageError(str(error)) from None
    try:
        server = SandboxServer(
            emulator,
            host,
            port,
            verbose=log_requests,
            admin=admin,
            allow_non_loopback=allow_non_loopback,
            allowed_hosts=allowed_hosts,
            max_connections=max_connections,
        )
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error}") from None
    written = False
    try:
        if server.admin_token is not None and admin_token_file is not None:
            _write_admin_token(admin_token_file, server.admin_token)
            written = True
        click.echo(
            f"boardops sandbox serving {server.url} "
            f"(state: {state_path}, profile: {emulator.profile.name})"
        )
        if not is_loopback(host):
            click.echo(
                f"warning: serving on {host}, reachable from other machines; the sandbox "
                "takes any token",
                err=True,
            )
        if server.admin_token is not None:
            where = (
                f"written to {admin_token_file}"
                if admin_token_file is not None
                else server.admin_token
            )
            click.echo(f"admin token: {where} (send it as {ADMIN_TOKEN_HEADER})", err=True)
        if emulator.faults.active:
            click.echo(f"faults: {emulator.faults}")
        if server_ms_per_mutation:
            click.echo(f"server time: {server_ms_per_mutation:g} ms per mutation")
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if written and admin_token_file is not None:
            admin_token_file.unlink(missing_ok=True)


def _write_admin_token(path: Path, token: str) -> None:
    """``token`` into ``path``, readable by this user only, replaced atomically (a symlink
    at ``path`` is replaced, never followed)."""
    import os
    import tempfile

    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(token + "\n")
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise click.ClickException(
            f"{path}: cannot write the admin token: {error.strerror}"
        ) from None


def show(state_path: Path) -> None:
    """Print the sandbox's workspaces, boards, columns, groups and item counts."""
    from boardops.sandbox.state import summary_lines

    if not state_path.exists():
        raise click.UsageError(f"no sandbox state at {state_path} (it is created on first use)")
    click.echo("\n".join(summary_lines(open_state(state_path).state)))


def reset(state_path: Path, sandbox_profile: Any) -> None:
    """Empty the sandbox (the seeded users stay), starting it with ``sandbox_profile``."""
    emulator = open_state(state_path)
    emulator.reset(sandbox_profile)
    click.echo(f"sandbox reset: {state_path} (profile: {emulator.profile.name})")


def open_state(state_path: Path) -> Any:
    """The sandbox in ``state_path``; a file that is not one is an error, never overwritten."""
    from boardops.errors import UsageError
    from boardops.sandbox import Sandbox

    try:
        return Sandbox(state_path)
    except ValueError as error:
        raise UsageError(str(error)) from None
