"""The OS user a throwaway database server runs as: never root.

The PostgreSQL and MariaDB test servers (:mod:`aftersales.testing.postgres`,
:mod:`aftersales.testing.mariadb`) start from Debian's binaries. Run as root,
they run as the package's user (``postgres``, ``mysql``) or a dedicated system
user made for the purpose; run as anyone else, as that user.

Example:
    >>> as_user(["initdb", "-D", "/tmp/x"], None)
    ['initdb', '-D', '/tmp/x']
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import subprocess
from collections.abc import Sequence

__all__ = ["as_user", "server_user"]


def server_user(
    names: Sequence[str], unavailable: type[Exception], server: str
) -> pwd.struct_passwd | None:
    """The first existing user of ``names``, else the last one made now; ``None`` unless root.

    A user that cannot be made raises ``unavailable`` naming ``server``.

    Example:
        >>> import os
        >>> os.geteuid() != 0 or server_user(["root"], RuntimeError, "a server").pw_name == "root"
        True
    """
    if os.geteuid() != 0:
        return None
    for name in names:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    made = names[-1]
    try:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", made],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(made)
    except (OSError, subprocess.CalledProcessError, KeyError) as error:
        raise unavailable(f"running as root and no user to run {server} as: {error}") from None


def as_user(command: list[str], user: pwd.struct_passwd | None) -> list[str]:
    """``command`` run as ``user`` (``runuser``, else ``su``); unchanged for ``None``.

    Example:
        >>> import pwd
        >>> as_user(["id"], pwd.getpwuid(0))[-1]
        'id'
    """
    if user is None:
        return command
    if shutil.which("runuser"):
        return ["runuser", "-u", user.pw_name, "--", *command]
    return ["su", user.pw_name, "-s", "/bin/sh", "-c", shlex.join(command)]
