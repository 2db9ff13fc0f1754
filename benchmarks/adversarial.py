"""Time and memory of `compare` on adversarial inputs as they double: near-linear growth, no quadratic traps.

Each input is generated at several sizes, each size doubling the last; every (input, size) runs in a
fresh process (the packaged model loaded and warmed first, not timed), which prints the wall and CPU
seconds of `compare` and how much its peak resident memory grew. The table shows them per size and the
growth ratio of the CPU seconds from the size before (about 2 is linear, about 4 quadratic); CPU time,
because on a shared machine the wall clock also counts other people's work.

  brackets   an outlet quoting a run of N "[" characters
  said       an outlet of N sentences 'He said "..."' (each quote's speaker resolved from the text before it)
  numbers    a source that is one sentence of N numbers
  cjk        an outlet of N Chinese sentences (。 ends each) against an English source

    .venv/bin/python benchmarks/adversarial.py [--inputs brackets,said] [--sizes 1000,2000,4000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "President Xi Jinping and President Trump spoke by phone on Friday and agreed to keep in touch."


def brackets(n: int) -> tuple[str, str]:
    return f'Xi said "we will {"[" * n} talk" on Friday.', SOURCE


def said(n: int) -> tuple[str, str]:
    return " ".join(f'He said "we will keep in touch about item {i}."' for i in range(n)), SOURCE


def numbers(n: int) -> tuple[str, str]:
    figures = ", ".join(str(1000 + 7 * i) for i in range(n))
    return "The ministry listed 1007 and 1014 among the figures.", f"The ministry listed the figures {figures}."


def cjk(n: int) -> tuple[str, str]:
    return "".join(f"习近平主席同特朗普总统通电话，双方同意保持联系第{i}次。" for i in range(n)), SOURCE


INPUTS: dict[str, tuple[Callable[[int], tuple[str, str]], list[int]]] = {
    "brackets": (brackets, [12_500, 25_000, 50_000, 100_000]),
    "said": (said, [500, 1_000, 2_000, 4_000]),
    "numbers": (numbers, [2_000, 4_000, 8_000, 16_000]),
    "cjk": (cjk, [250, 500, 1_000, 2_000]),
}

_CHILD = """
import json, sys, time
from reconcile.compare import compare
from reconcile.documents import document_from_text
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.resources import Resources
sys.path.insert(0, {bench!r})
import adversarial

def high_water_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

outlet, source = getattr(adversarial, {name!r})({size})
embedder, resources = SentenceTransformerEmbedder(), Resources.load()
compare(document_from_text("Xi said the two sides agreed.", name="o"), [document_from_text(SOURCE, name="s")],
        embedder=embedder, resources=resources)
before = high_water_kb()
started, cpu = time.perf_counter(), time.process_time()
report = compare(document_from_text(outlet, name="outlet"), [document_from_text(source, name="source")],
                 embedder=embedder, resources=resources)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak_mb": (high_water_kb() - before) / 1024,
                  "sentences": len(report.sentences), "chars": len(outlet) + len(source)}}))
""".replace("SOURCE", repr(SOURCE))


def run(name: str, size: int, timeout: float) -> dict[str, float] | None:
    code = _CHILD.format(bench=str(ROOT / "benchmarks"), name=name, size=size)
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode:
        raise SystemExit(f"{name} {size}: failed\n{done.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", default=",".join(INPUTS), help="comma-separated: " + ", ".join(INPUTS))
    parser.add_argument("--sizes", help="comma-separated sizes for every input (default: each input's own)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one run may take (default 300)")
    args = parser.parse_args()
    print(f"{'input':<10} {'size':>8} {'chars':>9} {'wall s':>9} {'cpu s':>9} {'x cpu':>7} {'peak MB':>8}")
    for name in args.inputs.split(","):
        _, sizes = INPUTS[name]
        if args.sizes:
            sizes = [int(s) for s in args.sizes.split(",")]
        last: float | None = None
        for size in sizes:
            figures = run(name, size, args.timeout)
            if figures is None:
                print(f"{name:<10} {size:>8} {'':>9} {'> ' + str(int(args.timeout)):>9}")
                break
            ratio = f"{figures['cpu'] / last:.2f}" if last else ""
            print(
                f"{name:<10} {size:>8} {int(figures['chars']):>9} {figures['seconds']:>9.2f} {figures['cpu']:>9.2f}"
                f" {ratio:>7} {figures['peak_mb']:>8.1f}",
                flush=True,
            )
            last = max(figures["cpu"], 1e-3)


if __name__ == "__main__":
    main()
