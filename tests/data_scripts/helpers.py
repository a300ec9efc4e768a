"""Offline fixtures for the data_scripts tests: tiny PNGs, zip/tar archives, and a loopback HTTP server
whose behaviour (Range support, a dropped connection) the tests choose."""

import hashlib
import http.server
import io
import re
import tarfile
import threading
import zipfile

import numpy as np
from PIL import Image


def png_bytes(height, width, seed=0):
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def tar_bytes(members, links=()):
    """A tar of regular files ``{name: bytes}`` plus symbolic links ``[(name, target), ...]``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        for name, target in links:
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tf.addfile(info)
    return buffer.getvalue()


def run_script(script, data_dir, base_url, *options):
    """``script.main`` on ``data_dir`` and ``base_url``, without progress bars, plus ``options``."""
    return script.main(
        ["--data-dir", str(data_dir), "--base-url", base_url, "--no-progress", *options]
    )


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def flip_byte(data, index=None):
    """``data`` with one byte inverted (in the middle unless ``index`` is given)."""
    index = len(data) // 2 if index is None else index
    return data[:index] + bytes([data[index] ^ 0xFF]) + data[index + 1 :]


# HR sizes (height, width) of the fixture images; (22, 26) is not a multiple of 4, so its LR image
# must be floor(22/4) x floor(26/4) = 5 x 6 (HR cropped to a multiple of the scale first).
DIV2K_HR = {
    "train": {"0001": (20, 24), "0002": (22, 26), "0003": (16, 16)},
    "valid": {"0801": (24, 20)},
}


def div2k_archives(scale=4, skip_lr=()):
    """``{archive name: bytes}`` in the official DIV2K layout; ``skip_lr`` names omit their LR file."""
    archives = {}
    for split, images in DIV2K_HR.items():
        archives[f"DIV2K_{split}_HR.zip"] = zip_bytes(
            {
                f"DIV2K_{split}_HR/{name}.png": png_bytes(h, w, int(name))
                for name, (h, w) in images.items()
            }
        )
        archives[f"DIV2K_{split}_LR_bicubic_X{scale}.zip"] = zip_bytes(
            {
                f"DIV2K_{split}_LR_bicubic/X{scale}/{name}x{scale}.png": png_bytes(
                    h // scale, w // scale, 1
                )
                for name, (h, w) in images.items()
                if name not in skip_lr
            }
        )
    return archives


BENCHMARK_HR = {
    "Set5": {"baby": (20, 24), "bird": (18, 17)},
    "Set14": {"zebra": (24, 24)},
    "B100": {"3096": (21, 32)},
}


def benchmark_tar(scales=(2, 3, 4)):
    """The EDSR ``benchmark.tar`` layout: ``benchmark/<set>/HR`` and ``LR_bicubic/X<s>``."""
    members = {}
    for name, images in BENCHMARK_HR.items():
        for stem, (h, w) in images.items():
            members[f"benchmark/{name}/HR/{stem}.png"] = png_bytes(h, w, len(stem))
            for s in scales:
                members[f"benchmark/{name}/LR_bicubic/X{s}/{stem}x{s}.png"] = png_bytes(
                    h // s, w // s, s
                )
    return tar_bytes(members)


class FileServer:
    """A loopback HTTP server serving ``files`` (``{name: bytes}``) and recording every request.

    ``range_support=False`` makes it ignore ``Range`` headers (answering 200 with the whole file), and
    ``misaligned_range=True`` answers a Range request with a different (but declared) byte range, and
    ``drop_after=n`` makes the next response stop after n body bytes and close the connection.
    """

    def __init__(self):
        self.files = {}
        self.requests = []  # (path, Range header or None)
        self.range_support = True
        self.drop_after = None
        self.misaligned_range = False  # answer a Range request from one byte earlier than asked
        self.bytes_sent = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                owner._serve(self)

            def log_message(self, *args):
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self):
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _serve(self, handler):
        name = handler.path.lstrip("/")
        requested = handler.headers.get("Range")
        self.requests.append((name, requested))
        body = self.files.get(name)
        if body is None:
            handler.send_error(404)
            return
        start, status = 0, 200
        if requested and self.range_support:
            start = int(re.fullmatch(r"bytes=(\d+)-", requested).group(1)) - self.misaligned_range
            if start >= len(body):
                handler.send_response(416)
                handler.send_header("Content-Range", f"bytes */{len(body)}")
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            status = 206
        payload = body[start:]
        handler.send_response(status)
        if status == 206:
            handler.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if self.drop_after is not None:
            payload, self.drop_after = payload[: self.drop_after], None
        handler.wfile.write(payload)
        self.bytes_sent += len(payload)
