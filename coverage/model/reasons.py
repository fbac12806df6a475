"""Why a library refused something, in the catalogue's words: OS errors by errno, PyYAML problems by kind.

Our error paragraphs name the file, the line and the fix; the *reason* inside them often comes from a library
(an ``OSError``'s "Permission denied", PyYAML's "mapping values are not allowed here"). Pasted as it is, that
text is English in a Chinese paragraph. These functions turn the common kinds into catalogue sentences
(``err.os_*``, ``err.yaml_p_*``); a rare kind falls back to the library's own text, marked as the library's
(``err.lib_text``), so nothing is lost.

Examples
--------
>>> import errno
>>> r = os_reason(PermissionError(errno.EACCES, "Permission denied", "/x"))
>>> str(r), r.text("zh")
('permission denied', '没有权限')
>>> yaml_problem("mapping values are not allowed here").text("zh")
"此处不应出现 ':'"
"""

from __future__ import annotations

import errno
import re
import socket

from .messages import Message

__all__ = ["library_text", "os_reason", "reason_words", "yaml_problem"]

#: errno -> the catalogue's words for it.
_ERRNO = {errno.ENOENT: "err.os_no_file", errno.EACCES: "err.os_permission", errno.EPERM: "err.os_permission",
          errno.ENOSPC: "err.os_disk_full", errno.EDQUOT: "err.os_disk_full", errno.EISDIR: "err.os_is_folder",
          errno.ENOTDIR: "err.os_not_folder", errno.EROFS: "err.os_read_only", errno.EEXIST: "err.os_exists",
          errno.ENAMETOOLONG: "err.os_name_too_long", errno.ENOTEMPTY: "err.os_folder_not_empty",
          errno.EIO: "err.os_io", errno.EMFILE: "err.os_too_many_open", errno.ENOMEM: "err.os_no_memory",
          errno.ECONNREFUSED: "err.os_refused", errno.ECONNRESET: "err.os_reset", errno.ETIMEDOUT: "err.os_timeout",
          errno.ENETUNREACH: "err.os_no_network", errno.EHOSTUNREACH: "err.os_no_network"}


def library_text(text: object) -> Message:
    """A library's own words, kept as they are and marked as the library's in Chinese."""
    return Message("err.lib_text", text=str(text).strip().rstrip("."))


def os_reason(exc: OSError) -> Message:
    """What an ``OSError`` means, by its errno (the library's text when the errno is a rare one)."""
    key = _ERRNO.get(exc.errno) if exc.errno is not None else None
    if key is not None:
        return Message(key)
    return library_text(exc.strerror or exc)


def reason_words(exc: BaseException) -> Message:
    """Why reading or writing failed: our own sentence when the exception carries one, an OS error by errno, text
    that is not UTF-8, else the library's words (its first line)."""
    if exc.args and isinstance(exc.args[0], Message):
        return exc.args[0]
    if isinstance(exc, socket.gaierror):
        return Message("err.os_dns")
    if isinstance(exc, TimeoutError) and exc.errno is None:
        return Message("err.os_timeout")
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_reason(exc)
    if isinstance(exc, UnicodeDecodeError):
        return Message("err.os_not_utf8", byte=exc.start + 1)
    if type(exc).__name__ == "EmptyDataError":  # pandas: an empty CSV
        return Message("err.csv_empty")
    fields = _CSV_FIELDS.search(str(exc)) if type(exc).__name__ == "ParserError" else None
    if fields:  # pandas: a row with more cells than the header
        return Message("err.csv_fields", expected=int(fields["expected"]), line=int(fields["line"]),
                       saw=int(fields["saw"]))
    first = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
    return library_text(first)


#: pandas' words for a row with more cells than the header.
_CSV_FIELDS = re.compile(r"Expected (?P<expected>\d+) fields in line (?P<line>\d+), saw (?P<saw>\d+)")

#: PyYAML problem texts (the common kinds) -> the catalogue's sentence; a group named ``char`` is a parameter.
_YAML_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), k) for p, k in (
    (r"^mapping values are not allowed here", "err.yaml_p_colon"),
    (r"^could not find expected ':'", "err.yaml_p_no_colon"),
    (r"tab character", "err.yaml_p_tab"),
    (r"^found character '\\t' that cannot start any token", "err.yaml_p_tab"),
    (r"^found character '(?P<char>.+)' that cannot start any token", "err.yaml_p_bad_start"),
    (r"^expected <block end>, but found", "err.yaml_p_indent"),
    (r"^did not find expected key", "err.yaml_p_indent"),
    (r"^did not find expected '-' indicator", "err.yaml_p_dash"),
    (r"^did not find expected node content", "err.yaml_p_no_value"),
    (r"^found unexpected end of stream", "err.yaml_p_unclosed_quote"),
    (r"^found undefined alias '(?P<char>.+)'", "err.yaml_p_alias"),
    (r"^expected ',' or '\]'", "err.yaml_p_unclosed_list"),
    (r"^expected ',' or '\}'", "err.yaml_p_unclosed_mapping"),
    (r"^found unknown escape character", "err.yaml_p_escape"),
    (r"^expected a comment or a line break", "err.yaml_p_trailing"),
    (r"^found unhashable key", "err.yaml_p_key_plain"),
    (r"mapping keys must be plain text", "err.yaml_p_key_plain"),
))


def yaml_problem(problem: object) -> Message:
    """A PyYAML problem in the catalogue's words (a ``Message`` problem is kept; a rare one is the library's)."""
    if isinstance(problem, Message):
        return problem
    text = str(problem or "invalid YAML")
    for pattern, key in _YAML_PROBLEMS:
        m = pattern.search(text)
        if m:
            return Message(key, **{k: v for k, v in m.groupdict().items() if v is not None})
    return library_text(text)
