"""Prints the go command's "h1:" hash of a module zip (dirhash.Hash1): the
sha256 of the sorted lines "SHA256  NAME" of its files, base64-encoded.
The toolchain fallback of .ci/deps compares it with .ci/go-toolchain.sum,
the hashes the Go checksum database publishes for the toolchain zips."""
import base64
import hashlib
import sys
import zipfile


def h1(path):
    lines = []
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            h = hashlib.sha256()
            with z.open(info) as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            lines.append((info.filename, "%s  %s\n" % (h.hexdigest(), info.filename)))
    lines.sort()
    summary = "".join(line for _, line in lines).encode()
    return "h1:" + base64.b64encode(hashlib.sha256(summary).digest()).decode()


if __name__ == "__main__":
    print(h1(sys.argv[1]))
