"""Evidence extraction from issue text: each kind, aliases, and bounded work on hostile input."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prready.analysis import evidence
from prready.analysis.evidence import (
    MAX_TEXT,
    expand_alias,
    extract_evidence,
    hands_on,
    without_traceback_prints,
    words_as_written,
)
from prready.analysis.lexicon import query_terms

TRACE = """Traceback (most recent call last):
  File "repro.py", line 3, in <module>
    y = F.interpolate(x, scale_factor=2)
  File "/opt/conda/lib/python3.11/site-packages/torch/nn/functional.py", line 4012, in interpolate
    return torch._C._nn.upsample_nearest2d(input, output_size)
RuntimeError: boom
"""


def test_stack_frames_keep_order_and_line_numbers() -> None:
    found = extract_evidence("crash", TRACE, package="torch")
    assert [(f.path, f.line) for f in found.frames] == [
        ("repro.py", 3),
        ("/opt/conda/lib/python3.11/site-packages/torch/nn/functional.py", 4012),
    ]
    assert [f.position for f in found.frames] == [0, 1]
    # A frame's file is not reported a second time as a plain path.
    assert all(not p.endswith("functional.py") for p, _ in found.paths)


# The same failure as a notebook shows it: IPython 8 (Colab, Jupyter today) and IPython 7.
NOTEBOOK_TRACE = """---------------------------------------------------------------------------
RuntimeError                              Traceback (most recent call last)
Cell In[3], line 3
      1 x = torch.rand(1, 3, 8, 8)
----> 3 y = F.interpolate(x, scale_factor=2)

File ~/venv/lib/python3.11/site-packages/torch/utils/hooks.py:12
     10 import torch
---> 12 torch.nn.functional.interpolate(x)

File /opt/conda/lib/python3.11/site-packages/torch/utils/_wrap.py:70, in wrap.<locals>.handler(*args)
---> 70     raise e.with_traceback(filtered_tb) from None

File /opt/conda/lib/python3.11/site-packages/torch/nn/functional.py:4012, in interpolate(input, size)
   4010 if input.dim() == 4:
-> 4012     return torch._C._nn.upsample_nearest2d(input, output_size)

RuntimeError: boom
"""
OLD_NOTEBOOK_TRACE = """RuntimeError                              Traceback (most recent call last)
<ipython-input-3-8d2c5f0e1a7b> in <module>()
      1 x = torch.rand(1, 3, 8, 8)
----> 3 y = F.interpolate(x, scale_factor=2)

C:\\Users\\me\\lib\\site-packages\\torch\\nn\\functional.py in interpolate(input, size)
   4010     if input.dim() == 4:
-> 4012         return torch._C._nn.upsample_nearest2d(input, output_size)
   4013

/opt/conda/lib/python3.11/site-packages/torch/nn/modules/upsampling.py in forward(self, input)
    155     def forward(self, input):
    156         return F.interpolate(input)

RuntimeError: boom
"""


def test_a_notebooks_traceback_gives_its_frames_in_order() -> None:
    """IPython's frames are frames (innermost last), not paths written out; a notebook's
    cell is no file; an older IPython's line is the one it marks."""
    found = extract_evidence("crash", NOTEBOOK_TRACE, package="torch")
    assert [(f.path, f.line, f.function) for f in found.frames] == [
        ("~/venv/lib/python3.11/site-packages/torch/utils/hooks.py", 12, ""),
        ("/opt/conda/lib/python3.11/site-packages/torch/utils/_wrap.py", 70, "handler"),
        ("/opt/conda/lib/python3.11/site-packages/torch/nn/functional.py", 4012, "interpolate"),
    ]
    assert found.paths == []
    old = extract_evidence("crash", OLD_NOTEBOOK_TRACE, package="torch")
    assert [(f.path, f.line, f.function, f.position) for f in old.frames] == [
        ("C:/Users/me/lib/site-packages/torch/nn/functional.py", 4012, "interpolate", 0),
        ("/opt/conda/lib/python3.11/site-packages/torch/nn/modules/upsampling.py", 0, "forward", 1),
    ]
    assert old.paths == []
    prose = extract_evidence("crash", "The bug is in model.py in forward(x) I think.")
    assert prose.frames == []
    # Python's and IPython's frames in one text keep the text's order.
    both = extract_evidence("crash", NOTEBOOK_TRACE + TRACE, package="torch")
    assert [f.line for f in both.frames] == [12, 70, 4012, 3, 4012]
    assert [f.position for f in both.frames] == [0, 1, 2, 3, 4]


def test_notebook_frames_as_colab_and_windows_print_them() -> None:
    """An older IPython's module frame (`in <module>`, no parentheses) and a line of five
    digits (`> 10234`); a Windows path with spaces; a frame quoted in a reply. A frame whose
    line is not shown takes none from a later traceback, and a relative path in a sentence
    is no frame."""
    text = (
        "ImportError                               Traceback (most recent call last)\n"
        "/usr/local/lib/python3.11/dist-packages/tinyml/__init__.py in <module>\n"
        "     10 import os\n"
        "---> 12 from tinyml import _C\n"
        "\n"
        "D:\\Users\\HB Private\\envs\\tinyml\\frame.py in __getitem__(self, key)\n"
        "> 10234         return self._get(key)\n"
        "\n"
        "> File /opt/tinyml/ops.py:7, in add(a, b)\n"
        "\n"
        "/opt/tinyml/io.py in load(path)\n"
        "ImportError: boom\n\n"
        "A second try:\n"
        "----> 3 df['a']\n"
        "Also tinyml/nn/functional.py in interpolate(x) rounds wrongly.\n"
    )
    found = extract_evidence("crash", text, package="tinyml")
    assert [(f.path, f.line, f.function) for f in found.frames] == [
        ("/usr/local/lib/python3.11/dist-packages/tinyml/__init__.py", 12, ""),
        ("D:/Users/HB Private/envs/tinyml/frame.py", 10234, "__getitem__"),
        ("/opt/tinyml/ops.py", 7, "add"),
        ("/opt/tinyml/io.py", 0, "load"),
    ]


@pytest.mark.parametrize(
    ("code", "handed"),
    [
        ("return func(*args, **kwargs)", "call"),
        ("    return self._call_impl(*args, **kwargs)", "call"),
        ("outputs = fn(*args, **kwargs)", "call"),
        ("return super().__call__(*args, **kwargs)", "call"),
        ("return wrapped(self, *args, **kwargs)", "call"),
        ("return f(**kwargs)", "call"),
        ("return self._op(*args, **(kwargs or {}))", "call"),
        ("raise e.with_traceback(filtered_tb) from None", "error"),
        ("raise", "error"),
        ("raise e", "error"),
        ('raise RuntimeError(f"applying transform {transform}") from e', ""),
        ("raise KeyError(key) from None", ""),
        ("raise ValueError('expected a 4-D input')", ""),
        ("raise TypeError", ""),
        ("return func(x, *args)", ""),
        ("return torch._C._nn.upsample_nearest2d(input, output_size)", ""),
        ("", ""),
    ],
)
def test_a_line_that_only_hands_the_call_or_the_error_on(code: str, handed: str) -> None:
    assert hands_on(code) == handed


def test_frames_say_whether_they_pass_the_call_on() -> None:
    """Python prints a frame's line under its header, IPython marks it with an arrow; a
    frame shown without its line passes nothing on."""
    text = (
        "Traceback (most recent call last):\n"
        '  File "/site-packages/tinyml/utils/deco.py", line 9, in wrapper\n'
        "    return func(*args, **kwargs)\n"
        '  File "/site-packages/tinyml/nn/functional.py", line 40, in pad\n'
        '  File "/site-packages/tinyml/nn/functional.py", line 52, in _pad\n'
        "    raise ValueError(msg)\n"
        "ValueError: bad pad\n"
    )
    found = extract_evidence("crash", text)
    assert [(f.function, f.hands_on) for f in found.frames] == [
        ("wrapper", "call"),
        ("pad", ""),
        ("_pad", ""),
    ]
    # A log's time stamps before every line (a CI runner's) are no part of the code.
    stamped = "".join(f"[2022-12-12T21:38:32.963Z] {line}\n" for line in text.splitlines())
    assert [f.hands_on for f in extract_evidence("crash", stamped).frames] == ["call", "", ""]
    notebook = extract_evidence("crash", NOTEBOOK_TRACE, package="torch")
    assert [(f.function, f.hands_on) for f in notebook.frames] == [
        ("", ""),
        ("handler", "error"),
        ("interpolate", ""),
    ]


CAUSE = """Traceback (most recent call last):
  File "/site-packages/tinyml/data/reader.py", line 30, in load
    arr = _decode(raw)
  File "/site-packages/tinyml/data/codec.py", line 12, in _decode
    raise ValueError("truncated header")
ValueError: truncated header

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "train.py", line 3, in <module>
    ds[0]
  File "/site-packages/tinyml/data/dataset.py", line 88, in __getitem__
    raise RuntimeError(f"applying {t}") from e
RuntimeError: applying <Reader>
"""


def _frame_files(text: str) -> list[str]:
    """The file names of the frames `extract_evidence` finds in `text`, in its order."""
    return [f.path.rsplit("/", 1)[-1] for f in extract_evidence("crash", text).frames]


def test_a_chained_cause_is_inside_what_it_caused() -> None:
    """Python prints an error's cause first; its frames ran inside the frame that raised
    the new error, so they come after it, innermost last. An error raised while another
    was handled keeps the text's order."""
    assert _frame_files(CAUSE) == [
        "train.py",
        "dataset.py",
        "reader.py",
        "codec.py",
    ]
    assert [f.position for f in extract_evidence("crash", CAUSE).frames] == [0, 1, 2, 3]
    handled = CAUSE.replace(
        "The above exception was the direct cause of the following exception",
        "During handling of the above exception, another exception occurred",
    )
    assert _frame_files(handled) == [
        "reader.py",
        "codec.py",
        "train.py",
        "dataset.py",
    ]
    # Three tracebacks: a cause of a cause comes innermost.
    twice = CAUSE.replace('  File "train.py"', '  File "/site-packages/tinyml/a.py"') + (
        "\nThe above exception was the direct cause of the following exception:\n\n"
        'Traceback (most recent call last):\n  File "/site-packages/tinyml/top.py", line 1,'
        " in run\n    raise SystemError() from e\n"
    )
    assert _frame_files(twice) == [
        "top.py",
        "a.py",
        "dataset.py",
        "reader.py",
        "codec.py",
    ]


def test_what_python_prints_around_a_traceback_is_no_query_word() -> None:
    """The header and the chained exceptions' sentences are the same in every traceback;
    the frames and the error are the issue's."""
    text = (
        TRACE
        + "\nThe above exception was the direct cause of the following exception:\n\n"
        + "RuntimeError                              Traceback (most recent call last)\n"
        + "Cell In[3], line 3\n----> 3 y = F.interpolate(x, scale_factor=2)\n"
        + "<ipython-input-3-8d2c5f0e1a7b> in <module>()\n"
    )
    terms = set(query_terms("", without_traceback_prints(text)))
    for printed in ("traceback", "recent", "call", "last", "caus", "direct", "ipython", "cell"):
        assert not any(t.startswith(printed) for t in terms), printed
    assert {"interpolate", "runtimeerror", "boom", "functional"} <= terms
    assert without_traceback_prints("no traceback here") == "no traceback here"


def test_file_paths_with_lines_and_directories() -> None:
    body = (
        "The bug is in torch/nn/functional.py and in aten/src/ATen/native/Convolution.cpp:123, "
        "probably somewhere under aten/src/ATen/native/cuda/ too. See https://x.org/a/b.py"
    )
    found = extract_evidence("", body)
    paths = dict(found.paths)
    assert paths["torch/nn/functional.py"] is None
    assert paths["aten/src/ATen/native/Convolution.cpp"] == 123
    assert "aten/src/ATen/native/cuda/" in paths
    assert not any("x.org" in p for p in paths)  # URLs are not repository paths


def test_absolute_and_windows_paths_outside_frames_are_paths() -> None:
    """A warning, a log or a C++ check prints the file's absolute path; a frame's file is
    still reported once, as a frame (a Windows one too)."""
    body = (
        "/opt/conda/lib/python3.10/site-packages/accelerate/accelerator.py:1234: "
        "FutureWarning: `foo` is deprecated\n"
        "[LightGBM] [Fatal] Check failed at /home/me/LightGBM/src/c_api.cpp:348 .\n"
        "C:\\Users\\me\\venv\\lib\\site-packages\\torch\\nn\\functional.py:12: UserWarning\n"
        "the kernel …/linear_kernels_cuda.cu mis-indexes\n"
        'Traceback (most recent call last):\n  File "D:\\work\\torch\\optim\\adam.py", line 9, in step\n'
        "see https://example.org/a/b.py and http:/x/y.py"
    )
    found = extract_evidence("/lit_parrot/model.py:201 in forward", body)
    assert found.paths == [
        ("/lit_parrot/model.py", 201),
        ("/opt/conda/lib/python3.10/site-packages/accelerate/accelerator.py", 1234),
        ("/home/me/LightGBM/src/c_api.cpp", 348),
        ("C:/Users/me/venv/lib/site-packages/torch/nn/functional.py", 12),
        ("linear_kernels_cuda.cu", None),
    ]
    assert [f.path for f in found.frames] == ["D:/work/torch/optim/adam.py"]


def test_github_links_to_files_and_folders_are_paths() -> None:
    """A reporter's link to the code is a path (a line it marks kept); other links are not,
    and a path both linked and written is reported once."""
    body = (
        "The check is wrong here: https://github.com/huggingface/accelerate/blob/main/src/"
        "accelerate/accelerator.py#L1234 (see also "
        "https://github.com/o/r/blob/release/2.1/torch/nn/functional.py#L10-L20). "
        "The folder https://github.com/o/r/tree/main/src/accelerate/utils/ holds the rest; "
        "src/accelerate/accelerator.py is big. https://github.com/o/r/issues/12, "
        "https://github.com/o/r/pull/7/files and https://example.org/blob/main/x.py are not code."
    )
    assert extract_evidence("", body).paths == [
        ("src/accelerate/accelerator.py", 1234),
        ("2.1/torch/nn/functional.py", 10),  # the branch's tail: resolved by its ending
        ("src/accelerate/utils/", None),
    ]


COLLECT_ENV = """Collecting environment information...
PyTorch version: 2.1.0+cu121
Is debug build: False
CUDA used to build PyTorch: 12.1
ROCM used to build PyTorch: N/A
OS: Ubuntu 22.04.3 LTS (x86_64)
Python platform: Linux-5.15.0-88-generic-x86_64-with-glibc2.35
Is CUDA available: True
GPU models and configuration: GPU 0: NVIDIA A100-SXM4-80GB
cuDNN version: Probably one of the following: /usr/lib/x86_64-linux-gnu/libcudnn.so.8.9.0
HIP runtime version: N/A
MIOpen runtime version: N/A
Is XNNPACK available: True
CPU:
Architecture: x86_64
Model name: AMD EPYC 7742 64-Core Processor
Flags: fpu vme de pse tsc msr pae mce cx8 apic sep avx2 avx512f avx512_vnni
Vulnerability Spectre v2: Mitigation; Retpolines, IBPB conditional
Versions of relevant libraries:
[pip3] numpy==1.26.0
[conda] torch 2.1.0 pypi_0 pypi
"""


def test_a_templates_setup_report_is_left_out() -> None:
    """Setup sections (to the next heading) and environment reports' lines go; the bug's
    own text, code comments and sentences that merely use such words stay."""
    body = (
        "Calling `dgl.batch` on two graphs drops edge features.\n\n"
        "### Reproduction\n\n```python\n# Environment setup\nimport dgl\n```\n"
        "The version check: fails for 0.9. The model: GCN.\n\n"
        "### Versions\n\n" + COLLECT_ENV + "\n"
        "### Environment\n\n<details>\n  <summary>Current environment</summary>\n\n"
        "#- Lightning Component (e.g. Trainer, LightningModule, LightningApp):\n"
        "#- PyTorch Lightning Version (e.g., 1.5.0):\n</details>\n\n"
        "### System info (python version, jaxlib version, accelerator, etc.)\n\n"
        "jax:    0.4.20\njaxlib: 0.4.20\n\n"
        "### Expected behavior\n\nEdge features are kept.\n"
        "- `transformers` version: 4.36.0\n- Platform: Linux-5.15\n"
    )
    assert evidence.without_setup(body) == (
        "Calling `dgl.batch` on two graphs drops edge features.\n\n"
        "### Reproduction\n\n```python\n# Environment setup\nimport dgl\n```\n"
        "The version check: fails for 0.9. The model: GCN.\n\n"
        "### Expected behavior\n\nEdge features are kept.\n"
    )
    # DeepSpeed's report, under its template's bold heading.
    ds_report = (
        "**ds_report output in SLURM**\nDeepSpeed C++/CUDA extension op report\n"
        "cpu_adam ............... [NO] ....... [OKAY]\n\n**Expected behavior**\nIt trains.\n"
    )
    assert evidence.without_setup(ds_report) == "**Expected behavior**\nIt trains.\n"
    assert evidence.without_setup("fused_adam ............. [NO] ....... [OKAY]\n") == ""
    # A bold heading ends a section however it is punctuated: the description after it stays.
    bold = (
        "**System information**.\n- Have I written custom code: yes\n"
        "- OS Platform and Distribution: Linux\n\n**Describe the problem**.\n"
        "`Conv2D` ignores `dilation_rate`.\n"
    )
    assert evidence.without_setup(bold) == (
        "**Describe the problem**.\n`Conv2D` ignores `dilation_rate`.\n"
    )
    # Pasted without a heading, a collect_env report still goes line by line.
    assert evidence.without_setup("Wrong grad.\n" + COLLECT_ENV) == "Wrong grad.\nCPU:\n"


def test_a_code_block_holding_an_environment_report_goes_whole() -> None:
    """A report pasted in a code block without a heading goes with its fences and the lines
    no line rule knows ("GPU 0: ..."); a reproduction's block stays, even one that prints a
    version; a `# comment` in a setup section's block does not end the section."""
    reproduction = (
        "```python\nimport tinyml\nprint(tinyml.__version__)\ntinyml.ones(3).sum()\n```\n"
    )
    collect_env = "```\n" + COLLECT_ENV + "GPU 1: NVIDIA A100-SXM4-80GB\n```\n"
    assert evidence.without_setup("Wrong grad.\n" + reproduction + collect_env) == (
        "Wrong grad.\n" + reproduction
    )
    jax_info = (
        "```\njax:    0.4.26\njaxlib: 0.4.26\nnumpy:  1.26.4\n"
        "jax.devices (1 total, 1 local): [CudaDevice(id=0)]\n$ nvidia-smi\n"
        "| NVIDIA-SMI 550.54.15     Driver Version: 550.54.15     CUDA Version: 12.4 |\n```\n"
    )
    assert evidence.without_setup("`jnp.take` is slow.\n" + jax_info) == "`jnp.take` is slow.\n"
    # Mostly report lines, and never closed: GitHub shows it as code to the end.
    versions = (
        "```\n- Python version: 3.10\n- PyTorch version: 2.1\n- CUDA version: 12.1\n- GPU: A100\n"
    )
    assert evidence.without_setup("It hangs.\n" + versions) == "It hangs.\n"
    pip_list = "```bash\n(venv) me@box:~$ pip list\nPackage    Version\n---------- -------\njax        0.6.0\n```\n"
    assert evidence.without_setup("It hangs.\n" + pip_list) == "It hangs.\n"
    lightning = "```\n* CUDA:\n\t- GPU:\n\t\t- Quadro RTX 5000\n\t- available: True\n```\n"
    assert evidence.without_setup("It hangs.\n" + lightning) == "It hangs.\n"
    sectioned = (
        "### Environment\n\nRun:\n```\nwget https://example.org/collect_env.py\n"
        "# check the script before running it\npython collect_env.py\n```\n"
        " - GPU models and configuration:\n\n### Additional context\nSince 2.1.\n"
    )
    assert evidence.without_setup(sectioned) == "### Additional context\nSince 2.1.\n"
    transformers_env = (
        "Using GPU in script?: yes\nUsing distributed or parallel set-up in script?: no\n"
    )
    assert evidence.without_setup("It hangs.\n" + transformers_env) == "It hangs.\n"


def test_a_block_with_code_or_a_traceback_is_the_reporters_whatever_else_it_holds() -> None:
    """What a review found dropped by the first version of the report rule: code headed by
    version comments, a config dump before a traceback, a report pasted after the
    reproduction in one block (only the report goes), test output's dot leaders, program
    output printing versions, an OOM next to nvidia-smi, a reproduction after a setup
    section's list; and bodies with Windows line ends."""
    kept = [
        "```python\n# tinyml version: 0.3.1\n# Python version: 3.11\nimport tinyml\n"
        "print(tinyml.linalg.solve(a, b))\n```\n",
        "```\n  zero_optimization ............ {'stage': 3}\n  train_batch_size ............. 8\n"
        "  fp16 ......................... True\nTraceback (most recent call last):\n"
        '  File "/opt/deepspeed/runtime/zero/stage3.py", line 1024, in _partition_grads\n'
        "AssertionError: grads are not partitioned\n```\n",
        "```\ntests/test_nn.py ....F... [ 40%]\ntests/test_optim.py ........ [100%]\n```\n",
        "```\ntorch version: 2.1.0\nnumpy version: 1.26\nloss: nan\nstep: 10\n```\n",
        "```\n| NVIDIA-SMI 550.54.15   Driver Version: 550.54.15 |\n"
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n```\n",
    ]
    # (Report lines are still left out one by one, as everywhere: a version comment, a dot
    # leader; the block and the rest of it stay.)
    for block, stays in zip(
        kept,
        (
            "```python\nimport tinyml\nprint(tinyml.linalg.solve(a, b))\n```\n",
            "Traceback (most recent call last):\n",
            "tests/test_nn.py ....F... [ 40%]\n",
            "loss: nan\nstep: 10\n```\n",
            "torch.OutOfMemoryError: CUDA out of memory.",
        ),
        strict=True,
    ):
        left = evidence.without_setup("It fails.\n" + block)
        assert left.startswith("It fails.\n```") and stays in left, block
    both = (
        "```python\n>>> import jax.numpy as jnp\n>>> jnp.linalg.eigh(x)\nnan\n"
        "jax:    0.4.26\njaxlib: 0.4.26\nnumpy:  1.26.4\n```\n"
    )
    assert evidence.without_setup(both) == (
        "```python\n>>> import jax.numpy as jnp\n>>> jnp.linalg.eigh(x)\nnan\njax:    0.4.26\n```\n"
    )
    after_list = (
        "## Environment\n- OS: Ubuntu 22.04\n- tinyml 0.3\n\nTo reproduce:\n"
        "```python\n# minimal repro\nimport tinyml\ntinyml.linalg.solve(a, b)\n```\n"
    )
    assert evidence.without_setup(after_list) == (
        "```python\n# minimal repro\nimport tinyml\ntinyml.linalg.solve(a, b)\n```\n"
    )
    crlf = (
        "```python\r\nimport tinyml\r\ntinyml.solve(a)\r\n```\r\n"
        "It only fails on Windows.\r\n\r\n### Versions\r\n```\r\n" + COLLECT_ENV + "```\r\n"
    )
    assert evidence.without_setup(crlf) == (
        "```python\nimport tinyml\ntinyml.solve(a)\n```\nIt only fails on Windows.\n\n"
    )


def test_dotted_api_names_and_default_aliases() -> None:
    body = "Calling F.relu(x) then nn.Conv2d and torch.linalg.svd(a); np.array too."
    found = extract_evidence("", body, package="torch")
    assert "torch.nn.functional.relu" in found.apis
    assert "torch.nn.Conv2d" in found.apis
    assert "torch.linalg.svd" in found.apis
    assert "numpy.array" in found.apis
    assert "torch.nn.functional.relu" in found.called
    assert "torch.nn.Conv2d" not in found.called


def test_aliases_follow_the_repository_package() -> None:
    found = extract_evidence("", "F.interpolate is wrong", package="tinyml")
    assert "tinyml.nn.functional.interpolate" in found.apis
    assert expand_alias("data.DataLoader", {}, "torch") == [
        "torch.utils.data.DataLoader",
        "torch.data.DataLoader",
    ]


def test_imports_in_code_blocks_define_aliases() -> None:
    body = (
        "```python\nimport torch.nn.functional as G\nfrom torch.utils.data import DataLoader, "
        "Sampler as S\n```\nthen G.gelu(x) and S(ds)"
    )
    found = extract_evidence("", body, package="torch")
    assert found.aliases["G"] == "torch.nn.functional"
    assert found.aliases["S"] == "torch.utils.data.Sampler"
    assert "torch.nn.functional" in found.imports
    assert "torch.utils.data.DataLoader" in found.imports
    assert "torch.nn.functional.gelu" in found.apis


def test_tf_keras_names_are_keras_own_in_its_repository() -> None:
    body = (
        "```python\nimport tensorflow as tf\nfrom tensorflow.keras import layers\n"
        "from tensorflow.keras.optimizers import Adam\n```\n"
        "tf.keras.layers.Conv2D(4, 3) fails, and layers.Dense(2) and Adam(0.1) too"
    )
    found = extract_evidence("tf.keras.Model.fit hangs", body, package="keras")
    assert "keras.Model.fit" in found.apis
    assert "keras.layers.Conv2D" in found.apis
    assert "keras.layers.Dense" in found.apis  # through the import's alias
    assert "keras.optimizers.Adam" in found.imports
    assert not any(name.startswith("tensorflow.keras") for name in found.apis + found.imports)
    # TensorFlow's own names, and tf.keras in any other repository, stay as written.
    assert "tensorflow.function" in extract_evidence("tf.function", "", package="keras").apis
    other = extract_evidence("tf.keras.layers.Conv2D fails", body, package="torch")
    assert "tensorflow.keras.layers.Conv2D" in other.apis
    assert "tensorflow.keras.optimizers.Adam" in other.imports
    assert "tensorflow.kerasx.y" in extract_evidence("tf.kerasx.y", "", package="keras").apis


def test_doctest_imports_count_too() -> None:
    found = extract_evidence("", ">>> import tinyml.linalg as LA\n>>> LA.svd(x)", package="tinyml")
    assert found.aliases["LA"] == "tinyml.linalg"
    assert "tinyml.linalg.svd" in found.apis


def test_hostile_input_stays_bounded() -> None:
    body = ("a." * 200_000) + ('File "' + "x" * 5000) + "/" * 100_000 + "x.py in " * 50_000
    body += "\nFile " + "y" * 400 + ".py:" * 50_000
    start = time.perf_counter()
    found = extract_evidence("t" * 100_000, body)
    assert time.perf_counter() - start < 2.0
    assert found.frames == []
    # Named changes: long runs of numbers, hex digits and links.
    body = "#1234567" * 4000 + "0a" * 20_000 + " 1a2b3c4d-" * 3000 + "https://github.com/o/" * 2000
    start = time.perf_counter()
    found = extract_evidence("#" * 1000, body[:MAX_TEXT], repo="o/r")
    assert time.perf_counter() - start < 2.0
    assert found.changes == ["#1234567"]


def test_non_code_file_paths_are_found_and_not_taken_for_apis() -> None:
    found = extract_evidence(
        "Typo in docs/tensors.md",
        "See docs/nn.md, README.md and .github/labeler.yml.",
        package="tinyml",
    )
    paths = [p for p, _ in found.paths]
    assert "docs/tensors.md" in paths and "docs/nn.md" in paths and "README.md" in paths
    assert ".github/labeler.yml" in paths  # the leading dot is part of the name
    assert not any(api.endswith((".md", ".yml")) for api in found.apis)


def test_words_as_written_never_a_stem() -> None:
    """The lexicon's terms (stems, joined identifiers) map back to the issue's own words:
    a word standing alone before the part of an identifier."""
    title = "`Tensor.split` with sizes that do not sum to the dimension"
    body = "Typo in `find_executable_batch_size`; CompileError from compile_cached, LBFGS padding"
    written = words_as_written(query_terms(title, body), title, body)
    assert written["siz"] == "sizes"
    assert written["findexecutablebatchsize"] == "find_executable_batch_size"
    assert written["compilecached"] == "compile_cached"
    assert written["compile"] == "Compile"  # the first part met, as written
    assert written["lbfg"] == "LBFGS" and written["pad"] == "padding"
    assert written["tensor"] == "Tensor"
    assert set(written) == set(query_terms(title, body))  # every term has its word
    assert words_as_written(["siz", "absent"], "no such words", "") == {}


# The path and folder patterns run only on texts their hints find (a cheap search first):
# every text either pattern matches must hold its hint, or a path would be lost.
_PATHY = st.lists(
    st.sampled_from(
        ["a", "b_", "-", ".", "/", "./", "py", "pyi", "h", "yaml", ":", "7", " ", "\n"]
    ),
    max_size=16,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_PATHY)
def test_path_hints_hold_wherever_the_patterns_match(text: str) -> None:
    if evidence._PATH.search(text):
        assert evidence._PATH_HINT.search(text)
    if evidence._DIR.search(text):
        assert evidence._DIR_HINT.search(text)


def test_paths_and_folders_found_with_and_without_hints() -> None:
    text = "see torch/nn/modules/linear.py:12 and csrc/api/ (also ./tools/x.yaml, a.b)"
    found = evidence._paths(text, set())
    assert found == [
        ("torch/nn/modules/linear.py", 12),
        ("tools/x.yaml", None),
        ("csrc/api/", None),
    ]
    assert evidence._paths("nothing here: torch.nn.Linear, x/y", set()) == []
    # Edge cases of the hints: a folder ending in "-", a suffix followed by a line number.
    assert evidence._paths("in a/b-/ and abc.h:3", set()) == [("abc.h", 3), ("a/b-/", None)]


def test_a_file_name_is_no_api_name() -> None:
    # peft #2452 writes `peft_model.py`: a file, not the attribute `py` of `peft_model`.
    found = extract_evidence(
        "Code in variational_strategy.py", "see peft_model.py, model.transformer.h"
    )
    assert found.apis == ["model.transformer.h"]  # (`h` may be an attribute: GPT-2's blocks)
    assert [p for p, _ in found.paths] == [
        "variational_strategy.py",
        "peft_model.py",
        "model.transformer.h",
    ]
