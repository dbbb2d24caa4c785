"""Credentials out of setting values before anyone is shown them.

`newsdesk settings` and the editors' `/-/settings.json` show every setting's value, and a
value may carry a password in more places than `user:password@host`:

- the userinfo of every host of a URL: `postgresql://u:p@h1,u2:p2@h2/db` (and a password
  written with an unescaped `@`, `/`, `#`, `,` or `?` in it);
- query and fragment parameters with a secret-looking name: `?password=…`,
  `sslpassword=…`, `token=…`, `secret=…`, `api_key=…`, `#access_token=…`;
- libpq keyword strings: `host=db user=news password='s3 cr3t'`.

Each secret becomes ********; the rest (scheme, hosts, ports, database, options) stays, so
an operator can still see where the desk's data lives. When in doubt, more is hidden.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

MASK = "********"

# Django's own list of names it hides in its debug pages (SafeExceptionReporterFilter.
# hidden_settings), with PWD and CREDENTIAL added: password, sslpassword, passfile,
# token, secret, api_key, sslkey, access_key, auth_token, signature …
SECRET_NAME = re.compile(r"API|AUTH|TOKEN|KEY|SECRET|PASS|PWD|SIGNATURE|CREDENTIAL", re.I)

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S*")
# one parameter of a query or fragment; its value runs to the next & or ; (a "#" in it
# may be a password's, or start a fragment: see _mask_params)
_PARAM = re.compile(r"([?&;#])([^&;#=]*)=([^&;]*)")
# one libpq keyword=value pair; the value may be quoted with '' and backslash escapes
_KEYWORD = re.compile(r"([A-Za-z_][\w.-]*)(\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)")


def mask_credentials(value: str) -> str:
    """`value` with every credential it holds replaced by ********."""
    stripped = value.strip()
    if _SCHEME.match(stripped):  # the whole value is one URL (its password may hold spaces)
        return mask_url(stripped)
    pieces, last = [], 0
    for url in _URL.finditer(value):  # URLs inside a longer value: each masked alone
        pieces += [_mask_keywords(value[last:url.start()]), mask_url(url.group())]
        last = url.end()
    return "".join(pieces) + _mask_keywords(value[last:])


def mask_url(url: str) -> str:
    """A URL with the userinfo of each host and each secret parameter masked."""
    scheme, rest = url.split("://", 1)
    head, tail = _split_query(rest, 0)
    at = head.rfind("@")  # the last "@" before the query ends the userinfo
    if at < 0 and "@" in tail and _port_is_not_a_number(head):
        # "u:p?ss@host": a "?" inside the password made "u:p" look like host and port
        at = len(head) + tail.rfind("@")
        head, tail = _split_query(rest, at)
    end = next((i for i in range(at + 1, len(head)) if head[i] in "/#"), len(head))
    authority, path = head[:end], head[end:]
    if at >= 0:
        authority = _mask_hosts(authority)
    path, hash_, fragment = path.partition("#")
    return f"{scheme}://{authority}{path}{_mask_params(hash_ + fragment + tail)}"


def _split_query(rest: str, start: int) -> tuple[str, str]:
    query = rest.find("?", start)
    return (rest, "") if query < 0 else (rest[:query], rest[query:])


def _port_is_not_a_number(head: str) -> bool:
    authority = re.split(r"[/#]", head, maxsplit=1)[0]
    port = authority.rpartition(":")[2] if ":" in authority and "]" not in authority else ""
    return bool(port) and not port.isdigit()


def _mask_hosts(authority: str) -> str:
    """`u:p@h1,u2:p2@h2` → `********@h1,********@h2`: each host kept, each userinfo hidden.

    Between two "@" the host is what comes before the first ","; the rest is the next
    host's userinfo (a "," in a password stays hidden; a host listed after it too)."""
    parts = authority.split("@")
    hosts = [middle.split(",", 1)[0] for middle in parts[1:-1] if "," in middle]
    return f"{MASK}@" + "".join(f"{host},{MASK}@" for host in hosts) + parts[-1]


def _mask_params(text: str) -> str:
    """Secret-looking parameters of a query string and fragment, masked."""

    def one(match: re.Match) -> str:
        sep, name, value = match.groups()
        if SECRET_NAME.search(unquote_plus(name)):
            return f"{sep}{name}={MASK}"  # up to the next & or ;, a "#" in it included
        value, hash_, fragment = value.partition("#")
        return f"{sep}{name}={value}" + (_mask_params(hash_ + fragment) if hash_ else "")

    return _PARAM.sub(one, text)


def _mask_keywords(text: str) -> str:
    """libpq-style `name=value` pairs with a secret-looking name, masked."""

    def one(match: re.Match) -> str:
        name, eq, value = match.groups()
        return f"{name}{eq}{MASK}" if SECRET_NAME.search(name) and value else match.group()

    return _KEYWORD.sub(one, text)
