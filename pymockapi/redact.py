"""The one redaction of URLs: what every URL the server shows or logs goes through.

A URL may carry a credential in its userinfo (``http://user:pw@host``), in a
query parameter (``?token=…``, ``?x-api-key=…``, ``?hook_secret=…``) or in
its path (``/hooks/T0123/B0456/abcdEFGH1234…``, ``/token/abc``).  SPEC
says a secret never reaches a response, an event or a log line, so the access
log, the error log, recorder details and the session object all show
:func:`redact_url`'s output, and :func:`credential_name` is the one rule for
which names are credentials.

The module is pure (text in, text out) and never raises: a log line about a
malformed request must still be written.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

#: Words that make a parameter or path-segment name a credential, matched inside
#: the name (``access-token``, ``hook_secret``, ``x-api-key``, ``apikey``, ``authorization``).
CREDENTIAL_WORDS = ("token", "secret", "password", "passwd", "passphrase", "pwd", "key", "auth",
                    "signature", "credential", "session_id", "sessionid", "cookie", "jwt", "bearer")
#: Names that are credentials only as a whole word (``sig=``, ``code=``): too short to match inside a name.
CREDENTIAL_EXACT = frozenset({"sig", "code", "pass", "pw", "hmac", "otp", "nonce"})
#: A path segment or value that looks like a generated token: long, letters and digits mixed.
TOKEN_LIKE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-.~+/=]{20,}$")
#: A UUID is a record id, not a secret: shown as is.
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MASK = "***"

_WORDS = re.compile("|".join(CREDENTIAL_WORDS))


def credential_name(name: str) -> bool:
    """Whether a query parameter or path segment named ``name`` holds a credential."""
    lowered = unquote(name).lower()
    return bool(_WORDS.search(lowered)) or lowered.replace("-", "_").strip("_") in CREDENTIAL_EXACT


def credential_segment(segment: str) -> bool:
    """Whether a path segment names a credential that the next segment holds (``/token/abc``).

    Stricter than :func:`credential_name`: one of the segment's words must be
    a credential word exactly, so ``/authors/aut-0001`` keeps its id.
    """
    words = re.split(r"[-_.]", unquote(segment).lower())
    return any(word in CREDENTIAL_WORDS or word in CREDENTIAL_EXACT for word in words)


def token_like(text: str) -> bool:
    """Whether ``text`` (a value or path segment) looks like a generated secret (a UUID does not)."""
    plain = unquote(text)
    return bool(TOKEN_LIKE.match(plain)) and not UUID.match(plain)


def _redact_query(query: str) -> str:
    kept = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        if eq and value and (credential_name(name) or token_like(value)):
            kept.append(f"{name}={MASK}")
        else:
            kept.append(pair)
    return "&".join(kept)


def _redact_path(path: str) -> str:
    segments = path.split("/")
    out: list[str] = []
    after_name = False
    for segment in segments:
        if segment and (after_name or token_like(segment)):
            out.append(MASK)
            after_name = False
            continue
        out.append(segment)
        after_name = bool(segment) and credential_segment(segment)
    return "/".join(out)


def redact_url(url: str) -> str:
    """``url`` with userinfo, credential query values and credential-like path segments masked.

    Works on absolute URLs (``webhook+https://u:p@host/x?token=t``) and on
    request targets (``/_api/sessions/x/ws?token=t``) alike; text that is not
    a URL at all comes back with the same rules applied to what it has.
    """
    text = str(url)
    fragment_at = text.find("#")
    if fragment_at >= 0:
        text = text[:fragment_at]
    base, q, query = text.partition("?")
    prefix = ""
    scheme_at = base.find("://")
    if scheme_at >= 0:
        prefix, rest = base[:scheme_at + 3], base[scheme_at + 3:]
        authority, slash, path = rest.partition("/")
        authority = authority.rpartition("@")[2]
        prefix += authority
        base = slash + path
    redacted = prefix + _redact_path(base)
    if q:
        redacted += "?" + _redact_query(query)
    return redacted


def url_secrets(url: str) -> tuple[str, ...]:
    """The strings :func:`redact_url` masks in ``url`` (raw and percent-decoded), longest first.

    An error message may quote part of the request (an unknown path); scrub
    it of these, so what the URL hid is not shown another way.
    """
    shown, found = redact_url(url), []
    text = str(url).split("#", 1)[0]
    base, _, query = text.partition("?")
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        if eq and value and f"{name}={MASK}" in shown:
            found += [value, unquote(value)]
    after_name = False
    for segment in base.split("/"):
        if segment and (after_name or token_like(segment)):
            found += [segment, unquote(segment)]
            after_name = False
            continue
        after_name = bool(segment) and credential_segment(segment)
    userinfo = base.partition("://")[2].partition("/")[0].rpartition("@")[0]
    if userinfo:
        found += [userinfo, userinfo.partition(":")[2]]
    return tuple(sorted({s for s in found if len(s) >= 3}, key=len, reverse=True))


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with each of ``secrets`` (longest first) replaced by the mask."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
