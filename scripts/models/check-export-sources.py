"""Fails fast, with one message, when a source of the export stack cannot be reached.

pip alone retries every package for minutes against an unreachable index, and with an extra index it then
quietly takes another build (PyTorch's CUDA build from PyPI). The lock pins torch by URL and hash, so no
other build can be installed; this check only turns "unreachable" into an answer within seconds.
    python3 check-export-sources.py requirements-export.txt
"""
import os
import re
import sys
import urllib.request

TIMEOUT_S = 15


def sources(lock_path):
    with open(lock_path, encoding="utf-8") as lock:
        urls = re.findall(r"^\S+ @ (https?://\S+)", lock.read(), re.M)
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/") + "/pip/"
    return urls + [index]


def reachable(url):
    try:
        request = urllib.request.Request(url, method="HEAD")
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
            return answer.status < 400, f"HTTP {answer.status}"
    except Exception as error:  # DNS, refused, TLS, proxy, 4xx/5xx: all mean "cannot install from here"
        return False, str(getattr(error, "reason", error))


def main():
    problems = [(url, why) for url in sources(sys.argv[1]) for ok, why in [reachable(url)] if not ok]
    if not problems:
        print("export stack sources reachable:", ", ".join(sources(sys.argv[1])))
        return 0
    for url, why in problems:
        print(f"error: cannot reach {url} ({why}).", file=sys.stderr)
    print(
        "The ONNX export stack (CPU PyTorch from download.pytorch.org, the rest from PyPI) cannot be installed "
        "from here, and no other build is used instead. Allow these hosts through your proxy, or point "
        "--build-arg TORCH_WHEEL_URL at a mirror of the same file (its sha256 is still checked), or build with "
        "--build-arg ONNX_EXPORT=0 (MODELS_ONNX_EXPORT=0 for compose) when the models volume already holds "
        "verified model files.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
