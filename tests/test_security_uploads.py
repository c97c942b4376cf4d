"""Lesson uploads: a zip may lie about its sizes; reading it must stay bounded and never 500.

A zip's directory states each member's uncompressed size, and the importer refused members said to
be larger than the lesson file limit. A forged directory (a 100 MB member declared as 100 bytes)
got past that check, and the whole member was inflated in memory at once: about 1000× the upload,
so a 1 MB upload costs a worker 1 GB. Its CRC then fails, which raised out of the view as a 500.
"""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile

from test_classroom_support import login, make_instructor

INFLATED = 100 * 1024 * 1024


def _zip_claiming_small_sizes() -> bytes:
    """A zip holding lesson.yaml of 100 MB whose headers say it holds 100 bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("lesson.yaml", "w") as member:
            member.write(b"title: ")
            chunk = b"x" * (1024 * 1024)
            for _ in range(INFLATED // len(chunk)):
                member.write(chunk)
    raw = bytearray(buffer.getvalue())
    central = raw.rfind(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, 100)  # uncompressed size, central directory
    struct.pack_into("<I", raw, 22, 100)  # uncompressed size, local header
    return bytes(raw)


def _token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def test_forged_zip_sizes_are_refused_without_inflating_the_member(app, client):
    make_instructor(app)
    login(client)
    upload = _zip_claiming_small_sizes()
    assert len(upload) < app.config["MAX_CONTENT_LENGTH"]
    token = _token(client, "/author/import")
    tracemalloc.start()
    try:
        response = client.post("/author/import", data={
            "csrf_token": token, "lesson_file": (io.BytesIO(upload), "lesson.zip")},
            content_type="multipart/form-data")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code in (400, 422), response.status_code
    page = response.get_data(as_text=True)
    assert "nothing was saved" in page
    assert "larger than" in page or "not readable" in page
    assert peak < 20 * 1024 * 1024, f"{peak / 2**20:.0f} MB allocated for a {len(upload)} B upload"


def test_corrupted_zip_member_gets_a_message_not_a_500(app, client):
    make_instructor(app)
    login(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("lesson.yaml", "schema_version: 1\nid: broken\n")
    raw = bytearray(buffer.getvalue())
    at = raw.find(b"schema_version")
    raw[at] = ord("S")  # the stored bytes no longer match the CRC
    token = _token(client, "/author/import")
    response = client.post("/author/import", data={
        "csrf_token": token, "lesson_file": (io.BytesIO(bytes(raw)), "broken.zip")},
        content_type="multipart/form-data")
    assert response.status_code in (400, 422), response.status_code
    assert "not readable" in response.get_data(as_text=True)
