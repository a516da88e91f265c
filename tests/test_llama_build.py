"""The generator's build: chosen for the CPU (never AMX), checked when installed, proven by a real generation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag import llama_build
from rag.model_file import ensure_model_file
from rag.settings import Settings

NEWSQA = str(Path(sys.executable).parent / "newsqa")

SAPPHIRE_RAPIDS = (
    "processor\t: 0\nflags\t\t: fpu sse4_2 avx f16c fma bmi2 avx2 avx_vnni avx512f avx512cd avx512vl avx512dq "
    "avx512bw avx512vbmi avx512_vnni avx512_bf16 amx_bf16 avx512_fp16 amx_tile amx_int8\n"
    "processor\t: 1\nflags\t\t: fpu\n"
)
HASWELL = "flags\t\t: fpu sse4_2 avx f16c fma bmi2 avx2\n"


def args(build: llama_build.Build) -> dict[str, str]:
    return dict(a.removeprefix("-D").split("=") for a in build.cmake_args)


def test_an_amx_cpu_gets_its_avx512_families_and_never_the_amx_kernels():
    build = llama_build.choose(llama_build.cpu_flags(SAPPHIRE_RAPIDS), "x86_64")
    chosen = args(build)
    assert chosen["GGML_NATIVE"] == "OFF"  # -march=native is what turns AMX on
    assert {chosen[o] for o in ("GGML_AMX_TILE", "GGML_AMX_INT8", "GGML_AMX_BF16")} == {"OFF"}
    assert {chosen[o] for o in ("GGML_AVX2", "GGML_AVX512", "GGML_AVX512_VNNI", "GGML_AVX512_BF16")} == {"ON"}
    assert "AMX_INT8" in build.expect_off and "AVX512" in build.expect_on


def test_a_cpu_without_avx512_gets_no_avx512_instructions():
    chosen = args(llama_build.choose(llama_build.cpu_flags(HASWELL), "x86_64"))
    assert chosen["GGML_AVX2"] == "ON" and chosen["GGML_FMA"] == "ON"
    assert chosen["GGML_AVX512"] == "OFF" and chosen["GGML_AVX512_VNNI"] == "OFF"


def test_the_wheel_key_follows_the_options_and_an_override_is_taken_as_given():
    flags = llama_build.cpu_flags(SAPPHIRE_RAPIDS)
    wide, narrow = llama_build.choose(flags, "x86_64"), llama_build.choose(flags, "x86_64", avx512=False)
    assert wide.key != narrow.key  # a cached native or AVX2 wheel is never handed back for another choice
    custom = llama_build.choose(flags, "x86_64", override="-DGGML_NATIVE=OFF -DGGML_AVX2=ON")
    assert custom.cmake_args == ("-DGGML_NATIVE=OFF", "-DGGML_AVX2=ON") and custom.overridden
    assert llama_build.choose(flags, "aarch64").cmake_args == ()


def test_an_installed_build_with_amx_or_without_the_chosen_families_is_a_mismatch():
    build = llama_build.choose(llama_build.cpu_flags(SAPPHIRE_RAPIDS), "x86_64")
    info = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | AVX_VNNI = 1 | AVX512 = 1 | "
    info += "AVX512_VBMI = 1 | AVX512_VNNI = 1 | AVX512_BF16 = 1 | LLAMAFILE = 1 | "
    assert llama_build.mismatch(build, llama_build.parse_system_info(info)) is None
    assert "has AMX_INT8" in llama_build.mismatch(build, llama_build.parse_system_info(info + "AMX_INT8 = 1 |"))
    assert "AVX512," in llama_build.mismatch(build, llama_build.parse_system_info("CPU : AVX2 = 1 |"))


def test_the_installed_generator_has_no_amx_kernels_and_is_the_build_chosen_for_this_cpu():
    """Fails on a build with AMX compiled in (the default -march=native on an AMX CPU), on any machine."""
    features = llama_build.compiled_features()
    assert not {"AMX_INT8", "AMX_TILE", "AMX_BF16"} & features
    assert llama_build.mismatch(llama_build.chosen_build(), features) is None


def test_setup_finds_the_installed_build_and_does_not_rebuild_it(tmp_path):
    done = llama_build.ensure_installed(llama_build.chosen_build(), tmp_path / "wheels")
    assert "already installed" in done
    assert not (tmp_path / "wheels").exists()


def test_the_probe_generates_on_the_real_model_in_a_child_process():
    result = llama_build.probe(ensure_model_file(Settings().cache_dir), tokens=4)
    assert result.ok, result.detail
    assert result.prefill_tps > 0 and result.decode_tps > 0
    assert "AMX_INT8" not in result.features and "AVX2" in result.features


@pytest.fixture()
def crashing_llama(tmp_path):
    """A llama_cpp that dies the way the AMX kernels do, to see what set-up says about a native crash."""
    package = tmp_path / "crash" / "llama_cpp"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n")
    return {**os.environ, "PYTHONPATH": str(package.parent)}


def test_setup_stops_with_one_line_when_the_generator_crashes(crashing_llama, tmp_path):
    env = {**crashing_llama, "NEWSQA_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([NEWSQA, "setup"], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "crashed with SIGSEGV" in lines[0] and "NEWSQA_LLAMA_CMAKE_ARGS" in lines[0]
    assert "features:" in lines[0] and "GGML_NATIVE" in lines[0]
    assert not (tmp_path / "data").exists()  # nothing was seeded behind a broken generator
