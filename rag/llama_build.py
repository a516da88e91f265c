"""The llama.cpp build that runs on this CPU: chosen, installed, checked and proven before anything serves.

llama-cpp-python compiles llama.cpp from source, and its default `-march=native` build compiles in the AMX
kernels on CPUs that advertise AMX; there the first matrix multiply dies with a general protection fault
(`ldtilecfg` in `ggml_backend_amx_mul_mat`, llama.cpp issue 20824). So the build options are picked from the
CPU's own flags (the widest AVX2 / AVX-512 families it has, never AMX), the wheel is cached under a key made
of those options (pip's own cache keys by version only and would hand back a native build), the installed
library's compiled features are compared with the choice, and a real generation in a child process proves
it before set-up reports success. A crash there is one line at set-up, never a dead server later.

Only the standard library at module level: set-up runs `python -m rag.llama_build` from the project root
before llama-cpp-python (or anything else of newsqa's) is installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "llama-cpp-python"
VERSION = "0.3.36"
OVERRIDE_ENV = "NEWSQA_LLAMA_CMAKE_ARGS"
ROOT = Path(__file__).resolve().parent.parent

# GGML option -> the /proc/cpuinfo flags it needs -> the name llama_print_system_info() reports it by.
# Order matters only for readability of the chosen arguments.
X86_OPTIONS: list[tuple[str, tuple[str, ...], str | None]] = [
    ("GGML_SSE42", ("sse4_2",), None),
    ("GGML_AVX", ("avx",), "AVX"),
    ("GGML_F16C", ("f16c",), "F16C"),
    ("GGML_FMA", ("fma",), "FMA"),
    ("GGML_BMI2", ("bmi2",), "BMI2"),
    ("GGML_AVX2", ("avx2",), "AVX2"),
    ("GGML_AVX_VNNI", ("avx_vnni",), "AVX_VNNI"),
    # -mavx512f -mavx512cd -mavx512vl -mavx512dq -mavx512bw in ggml-cpu's CMakeLists
    ("GGML_AVX512", ("avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"), "AVX512"),
    ("GGML_AVX512_VBMI", ("avx512vbmi",), "AVX512_VBMI"),
    ("GGML_AVX512_VNNI", ("avx512_vnni",), "AVX512_VNNI"),
    ("GGML_AVX512_BF16", ("avx512_bf16",), "AVX512_BF16"),
]
# Never compiled in, whatever the CPU says: these are the kernels that fault.
FORBIDDEN = {"GGML_AMX_TILE": "AMX_TILE", "GGML_AMX_INT8": "AMX_INT8", "GGML_AMX_BF16": "AMX_BF16"}
AVX512_FAMILY = {"GGML_AVX512", "GGML_AVX512_VBMI", "GGML_AVX512_VNNI", "GGML_AVX512_BF16"}


class BuildError(RuntimeError):
    """One line for the person running set-up: what failed, on which CPU, and how to override."""


@dataclass(frozen=True)
class Build:
    """The cmake arguments for llama.cpp and the features its system info must then report (and not)."""

    cmake_args: tuple[str, ...]
    expect_on: frozenset[str] = field(default_factory=frozenset)
    expect_off: frozenset[str] = field(default_factory=frozenset)
    overridden: bool = False

    @property
    def key(self) -> str:
        """Names the cached wheel: same package version and same arguments -> same wheel."""
        text = f"{PACKAGE}=={VERSION} {' '.join(self.cmake_args)}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def describe(self) -> str:
        return " ".join(self.cmake_args) or "(llama.cpp defaults)"


def cpu_flags(cpuinfo: str | None = None) -> frozenset[str]:
    """The flags of the first processor in /proc/cpuinfo (all cores of one machine share them)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            return frozenset()
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return frozenset()


def choose(flags: frozenset[str], machine: str | None = None, override: str | None = None,
           avx512: bool = True) -> Build:
    """The widest instruction families the CPU has, named one by one instead of `-march=native` (which
    turns AMX on wherever the CPU advertises it). `avx512=False` gives the AVX2-only build, which the bench
    measures against the chosen one."""
    if override is not None and override.strip():
        return Build(tuple(override.split()), overridden=True)
    machine = machine or platform.machine()
    if machine not in ("x86_64", "AMD64", "i686", "i386"):
        # No AMX outside x86: the native build is the right one there.
        return Build(())
    args, on, off = ["-DGGML_NATIVE=OFF"], set(), set(FORBIDDEN.values())
    for option, needs, feature in X86_OPTIONS:
        enabled = all(f in flags for f in needs) and (avx512 or option not in AVX512_FAMILY)
        args.append(f"-D{option}={'ON' if enabled else 'OFF'}")
        if feature:
            (on if enabled else off).add(feature)
    args += [f"-D{option}=OFF" for option in FORBIDDEN]
    return Build(tuple(args), frozenset(on), frozenset(off))


def chosen_build() -> Build:
    return choose(cpu_flags(), override=os.environ.get(OVERRIDE_ENV))


def parse_system_info(text: str) -> frozenset[str]:
    """`CPU : SSE3 = 1 | AVX = 1 | ... |` -> the names set to 1 (llama_print_system_info's format)."""
    return frozenset(m.group(1) for m in re.finditer(r"([A-Z0-9_]+) = 1", text))


def compiled_features() -> frozenset[str]:
    """What the llama.cpp library loaded in this process was compiled with."""
    import llama_cpp

    return parse_system_info(llama_cpp.llama_print_system_info().decode())


def mismatch(build: Build, features: frozenset[str]) -> str | None:
    """Why an installed library is not the chosen build, or None when it is."""
    missing = sorted(build.expect_on - features)
    extra = sorted(build.expect_off & features)
    if not missing and not extra:
        return None
    parts = ([f"lacks {', '.join(missing)}"] if missing else []) + ([f"has {', '.join(extra)}"] if extra else [])
    return "installed llama.cpp " + " and ".join(parts)


def _installed_features(python: str) -> frozenset[str] | None:
    """Read the installed build's features in a child, so a broken install cannot take set-up down."""
    code = "import llama_cpp; print(llama_cpp.llama_print_system_info().decode())"
    done = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return parse_system_info(done.stdout) if done.returncode == 0 else None


def _pip(python: str, *args: str, env: dict[str, str] | None = None) -> None:
    cmd = [python, "-m", "pip", "--disable-pip-version-check", "--quiet", *args]
    if subprocess.run(cmd, env=env).returncode != 0:
        raise BuildError(f"pip {args[0]} of {PACKAGE}=={VERSION} failed (see pip's output above)")


def wheel_for(build: Build, wheel_dir: Path, python: str = sys.executable) -> Path:
    """The wheel of `build`, compiled once into a folder named by its key (pip's cache is off for the
    build: it would return a wheel of any options), so later set-ups and other venvs reuse it."""
    target = wheel_dir / build.key
    if not (wheels := sorted(target.glob("llama_cpp_python-*.whl"))):
        env = {**os.environ, "CMAKE_ARGS": " ".join(build.cmake_args), "FORCE_CMAKE": "1"}
        print(f"building {PACKAGE} {VERSION} ({build.describe()}); a few minutes", flush=True)
        tmp = target.with_name(f"{build.key}.{os.getpid()}.tmp")
        _pip(python, "wheel", "--no-deps", "--no-cache-dir", "--no-binary", PACKAGE, "-w", str(tmp),
             f"{PACKAGE}=={VERSION}", env=env)
        os.replace(tmp, target)
        wheels = sorted(target.glob("llama_cpp_python-*.whl"))
    return wheels[-1]


def ensure_installed(build: Build, wheel_dir: Path, python: str = sys.executable) -> str:
    """Install `build` into `python`'s environment unless it is there already; returns what was done.
    "There already" means the library's compiled features match the choice and the recorded key does."""
    features = _installed_features(python)
    marker = Path(python).parent.parent / "llama-build.json"
    recorded = json.loads(marker.read_text()) if marker.exists() else {}
    if features is not None and mismatch(build, features) is None and recorded.get("key") == build.key:
        return f"llama.cpp build {build.key} already installed"
    wheel = wheel_for(build, wheel_dir, python)
    _pip(python, "install", "--force-reinstall", "--no-deps", str(wheel))  # replaces whatever build was there
    _pip(python, "install", str(wheel))  # and brings its dependencies (numpy, jinja2, diskcache)
    features = _installed_features(python)
    if features is None:
        raise BuildError(f"{PACKAGE} does not import after installing {wheel.name}")
    if why := mismatch(build, features):
        raise BuildError(f"{why} after building with {build.describe()}")
    marker.write_text(json.dumps({"key": build.key, "cmake_args": list(build.cmake_args)}) + "\n")
    return f"llama.cpp build {build.key} installed ({build.describe()})"


@dataclass
class ProbeResult:
    """A real generation's outcome: speeds on success, the signal or error on failure."""

    ok: bool
    detail: str
    features: list[str] = field(default_factory=list)
    prefill_tps: float | None = None
    decode_tps: float | None = None


# A prompt of a few hundred tokens, so prefill speed is measured on a realistic batch.
PROBE_PROMPT = " ".join(["The council met on Tuesday and approved the budget for the coming year."] * 24)


def _probe_child(model_path: str, tokens: int) -> None:
    """Runs in the child: load the model, stream a completion of `tokens` tokens (the service's own path),
    print one JSON line. Prefill = prompt tokens / time to the first token; decode = the rest."""
    from llama_cpp import Llama

    llm = Llama(model_path=model_path, n_ctx=1024, n_threads=os.cpu_count(), verbose=False)
    prompt_tokens = len(llm.tokenize(PROBE_PROMPT.encode()))
    started, first, count = time.perf_counter(), None, 0
    for _ in llm.create_completion(PROBE_PROMPT, max_tokens=tokens, temperature=0.0, top_k=1, stream=True):
        count += 1
        first = first or time.perf_counter()
    done = time.perf_counter()
    print(json.dumps({
        "features": sorted(compiled_features()),
        "prefill_tps": prompt_tokens / (first - started),
        "decode_tps": (count - 1) / (done - first) if count > 1 else 0.0,
    }))


def probe(model_path: Path, tokens: int = 16, python: str = sys.executable,
          env: dict[str, str] | None = None, timeout: float = 600) -> ProbeResult:
    """Generate on the real model in a child process: a native crash there kills only the child."""
    cmd = [python, "-m", "rag.llama_build", "probe-child", str(model_path), str(tokens)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return ProbeResult(False, f"no {tokens} tokens within {timeout:.0f} s")
    if done.returncode < 0:
        return ProbeResult(False, f"crashed with {signal.Signals(-done.returncode).name}")
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return ProbeResult(False, f"exited with {done.returncode}: {tail}")
    result = json.loads(lines[-1])
    return ProbeResult(True, "generated", result["features"], result["prefill_tps"], result["decode_tps"])


def failure_line(what: str, build: Build, flags: frozenset[str]) -> str:
    """The single line set-up ends with when the generator cannot run here."""
    interesting = sorted(f for f in flags if f.startswith(("avx", "amx", "fma", "f16c", "bmi2", "sse4")))
    return (
        f"the generator {what} on this CPU (features: {' '.join(interesting) or 'unknown'}; build: "
        f"{build.describe()}); set {OVERRIDE_ENV}='-DGGML_NATIVE=OFF -DGGML_AVX2=ON ...' and run the set-up again"
    )


def main(argv: list[str]) -> int:
    """`python -m rag.llama_build install WHEEL_DIR` (set-up) or `probe-child MODEL TOKENS` (internal)."""
    if argv[:1] == ["probe-child"] and len(argv) == 3:
        _probe_child(argv[1], int(argv[2]))
        return 0
    if argv[:1] == ["install"] and len(argv) == 2:
        build = chosen_build()
        try:
            print(ensure_installed(build, Path(argv[1])))
        except BuildError as exc:
            print(f"error: {failure_line(f'could not be built ({exc})', build, cpu_flags())}", file=sys.stderr)
            return 1
        return 0
    print("usage: python -m rag.llama_build install WHEEL_DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
