"""Every case that once hung, crashed or filled the memory, run under a time and a memory cap.

Each case runs in a fresh Python process. Once its inputs exist, the process caps its
own address space (``resource.RLIMIT_AS``) at what it already uses plus a small
allowance, and the test gives it a wall-clock timeout. Before the fixes these cases
took 7.7 to 72 s, asked for 2 GB to 29 TiB, or aborted the interpreter (exit 134).
"""

import subprocess
import sys
import textwrap

import pytest

resource = pytest.importorskip("resource")  # POSIX only

TIMEOUT_S = 30  # generous for a loaded CI machine; the slowest case takes about a second alone

PREAMBLE = textwrap.dedent('''
    import io, resource, struct, zlib
    import numpy as np
    from conv2d_lib import Conv2D, conv2d, images

    def cap(allowance_mb):
        """Let this process use only what it uses now plus allowance_mb of address space."""
        with open("/proc/self/statm") as statm:
            now = int(statm.read().split()[0]) * resource.getpagesize()
        limit = now + allowance_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def refused(call, *words):
        try:
            call()
        except ValueError as error:
            missing = [w for w in words if w not in str(error)]
            print("REFUSED" if not missing else f"MISSING {missing} in {error}")
        else:
            print("NOT REFUSED")

    def png_claiming(width, height):
        """A tiny PNG whose header claims width x height pixels (a decompression bomb's header)."""
        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        return (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\\0" * 64))
                + chunk(b"IEND", b""))
''')

CASES = {
    # The library's arguments
    "np.matrix kernel (aborted the process)": (
        "x = np.ones((4, 4)); k = np.matrix(np.ones((2, 2))); cap(64)\n"
        "print('OK' if np.array_equal(conv2d(x, k), np.full((3, 3), 4.0)) else 'WRONG')"),
    "stride 10**8 on 10 x 10 (72 s)": (
        "x = np.ones((10, 10)); cap(64)\n"
        "print('OK' if conv2d(x, np.ones((3, 3)), stride=(10**8, 1)).shape == (1, 8) else 'WRONG')"),
    "stride 2 * 10**6 on 1000 x 1000 (7.5 GiB)": (
        "x = np.ones((1000, 1000)); cap(64)\n"
        "print('OK' if np.all(conv2d(x, np.ones((3, 3)), stride=(2 * 10**6, 1)) == 9) else 'WRONG')"),
    "stride 2**63 (OverflowError)": (
        "x = np.ones((10, 10)); cap(64)\n"
        "print('OK' if conv2d(x, np.ones((3, 3)), stride=(2**63, 2**63)).shape == (1, 1) else 'WRONG')"),
    "padding 2**63": "x = np.ones((10, 10)); cap(64)\nrefused(lambda: conv2d(x, np.ones((3, 3)), padding=2**63), 'padding')",
    "padding 10**5 (298 GiB)": (
        "x = np.ones((10, 10)); cap(64)\nrefused(lambda: conv2d(x, np.ones((3, 3)), padding=10**5), 'padding=100000')"),
    "padding 10**4 (over 20 s)": (
        "x = np.ones((10, 10)); cap(64)\nrefused(lambda: conv2d(x, np.ones((3, 3)), padding=10**4), 'padding=10000')"),
    "dilation 10**6 with same (29 TiB)": (
        "x = np.ones((10, 10)); cap(64)\n"
        "refused(lambda: conv2d(x, np.ones((3, 3)), dilation=10**6, padding='same'), 'dilation')"),
    "folded path on a 4000 x 4000 photo (a second copy)": (
        # input 183 MiB, output 61 MiB: allowed the output and 40 MiB (a second copy would be 183 MiB more)
        "x = np.ones((4000, 4000, 3), np.float32); w = np.ones((1, 3, 5, 5), np.float32); cap(61 + 40)\n"
        "print('OK' if conv2d(x, w).shape == (3996, 3996, 1) else 'WRONG')"),
    "columns path on a 3000 x 3000 photo (a second copy)": (
        "x = np.ones((3000, 3000, 3), np.float32); w = np.ones((16, 3, 3, 3), np.float32); cap(549 + 40)\n"
        "print('OK' if conv2d(x, w, stride=1).shape == (2998, 2998, 16) else 'WRONG')"),
    "a huge layer": "cap(64)\nrefused(lambda: Conv2D(10**5, 10**5, 3), 'weights')",
    # The learner's pictures
    "a 177-byte PNG claiming 10**10 pixels": (
        "data = png_claiming(100_000, 100_000); cap(64)\n"
        "refused(lambda: images.load_image(data), 'enormous')"),
    "a PNG just under Pillow's limit (2 GB)": (
        "data = png_claiming(13_000, 13_000); cap(64)\n"
        "refused(lambda: images.load_image(data), '13,000 x 13,000')"),
    "a 24-megapixel JPEG is decoded small": (
        "from PIL import Image\n"
        "buffer = io.BytesIO(); Image.new('RGB', (6000, 4000), (90, 120, 200)).save(buffer, 'JPEG')\n"
        "data = buffer.getvalue(); cap(64)\n"
        "picture = images.load_image(data)\n"
        "print('OK' if picture.shape == (167, 250, 3) and abs(int(picture[80, 80, 2]) - 200) < 4 else picture.shape)"),
}


@pytest.mark.parametrize("code", CASES.values(), ids=CASES.keys())
def test_case_stays_within_its_caps(code):
    try:
        done = subprocess.run([sys.executable, "-c", PREAMBLE + code], capture_output=True, text=True,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"took more than {TIMEOUT_S} s")
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    assert done.stdout.strip() in ("OK", "REFUSED"), done.stdout + done.stderr[-2000:]
