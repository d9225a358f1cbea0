"""How stored media is served to browsers: inline only when its type is inert, else a download.

One decision for both storage backends (local /media responses and S3 presigned GETs). Clients
may store any type their asset kind allows, HTML and SVG included; what they cannot do is make
our origin (where GraphiQL keeps tokens) render it: such bytes go out as an attachment of
opaque type.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

SUBTITLE_TYPES = frozenset({"text/vtt", "application/x-subrip"})

# Types browsers only decode and display, never run: no scripts, links, styles or documents.
# SVG, HTML, XML, JavaScript, PDF and text/* are deliberately absent.
INLINE_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
        "audio/mpeg",
        "audio/mp4",
        "audio/aac",
        "audio/ogg",
        "audio/opus",
        "audio/wav",
        "audio/x-wav",
        "audio/wave",
        "audio/webm",
        "audio/flac",
        "audio/x-flac",
        "video/mp4",
        "video/webm",
        "video/ogg",
        "video/quicktime",
    }
)

OPAQUE_TYPE = "application/octet-stream"

# For the local /media responses (S3 cannot add headers to a presigned GET): never sniff a
# type, and should a browser render the bytes anyway, as an opaque origin without scripts.
# (style-src lets the browser's own image/video viewer style itself, as raw.githubusercontent.)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
}

_FALLBACK_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]")


@dataclass(frozen=True)
class Delivery:
    """The Content-Type and Content-Disposition to serve a stored object with."""

    content_type: str
    content_disposition: str


def delivery(content_type: str, file_name: str) -> Delivery:
    """How to serve an asset of `content_type` named `file_name` (the client's name)."""
    if content_type in INLINE_TYPES:
        return Delivery(content_type, _disposition("inline", file_name))
    # <track> needs the subtitle type; a download never renders it.
    served = content_type if content_type in SUBTITLE_TYPES else OPAQUE_TYPE
    return Delivery(served, _disposition("attachment", file_name))


def _disposition(kind: str, file_name: str) -> str:
    """RFC 6266: a plain ASCII `filename`, plus `filename*` (UTF-8) when that lost anything.
    Quotes, backslashes and control characters never reach the header unencoded."""
    name = re.split(r"[\\/]", file_name)[-1] or "file"
    fallback = _FALLBACK_UNSAFE.sub("_", name)
    header = f'{kind}; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header
