"""Python sources of tinyml's nn, optim and data packages (final tree), as data."""

from __future__ import annotations


def ml_files() -> dict[str, str]:
    """Return {repository path: source text} for tinyml.nn, tinyml.optim, tinyml.data."""
    return dict(_FILES)


_FILES: dict[str, str] = {}

_FILES["tinyml/nn/__init__.py"] = '''"""Neural network building blocks."""

from . import functional, init
from .modules import Conv2d, Dropout, Linear, Module, ReLU, Sequential
from .parameter import Parameter

__all__ = [
    "Conv2d",
    "Dropout",
    "Linear",
    "Module",
    "Parameter",
    "ReLU",
    "Sequential",
    "functional",
    "init",
]
'''

_FILES["tinyml/nn/parameter.py"] = '''"""A tensor that a Module registers as trainable."""

from __future__ import annotations

from tinyml.tensor import Tensor


class Parameter(Tensor):
    """A Tensor that requires grad and is collected by Module.parameters()."""

    def __init__(self, data: Tensor, requires_grad: bool = True):
        super().__init__(data.data, data.shape, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\\n" + super().__repr__()
'''

_FILES["tinyml/nn/modules/__init__.py"] = """from .activation import Dropout, ReLU
from .container import Sequential
from .conv import Conv2d
from .linear import Linear
from .module import Module

__all__ = ["Conv2d", "Dropout", "Linear", "Module", "ReLU", "Sequential"]
"""

_FILES[
    "tinyml/nn/modules/module.py"
] = '''"""Base class of every layer: parameters, submodules, train/eval mode, state dicts."""

from __future__ import annotations

from collections import OrderedDict

from tinyml.utils.hooks import RemovableHandle

from ..parameter import Parameter


class Module:
    """Layers subclass this and implement forward()."""

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        self.training = True

    def __setattr__(self, name, value):
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def forward(self, *args):
        raise NotImplementedError(f"{type(self).__name__} does not implement forward()")

    def __call__(self, *args):
        out = self.forward(*args)
        for hook in self._forward_hooks.values():
            result = hook(self, args, out)
            if result is not None:
                out = result
        return out

    def register_forward_hook(self, hook) -> RemovableHandle:
        handle = RemovableHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        return handle

    def named_parameters(self, prefix=""):
        for name, p in self._parameters.items():
            yield prefix + name, p
        for name, child in self._modules.items():
            yield from child.named_parameters(prefix + name + ".")

    def parameters(self):
        for _, p in self.named_parameters():
            yield p

    def train(self, mode: bool = True):
        self.training = mode
        for child in self._modules.values():
            child.train(mode)
        return self

    def eval(self):
        return self.train(False)

    def zero_grad(self):
        for p in self.parameters():
            p.grad = None

    def state_dict(self) -> dict:
        return {name: p.detach() for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict, strict: bool = True):
        own = dict(self.named_parameters())
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        if strict and (missing or unexpected):
            raise KeyError(f"missing keys {missing}, unexpected keys {unexpected}")
        for name, value in state.items():
            if name in own:
                own[name].data = list(value.data)
'''

_FILES["tinyml/nn/modules/linear.py"] = '''from __future__ import annotations

import math

from tinyml.tensor import zeros

from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module


class Linear(Module):
    """y = x @ weight.T + bias"""

    def __init__(self, in_features: int, out_features: int, bias: bool = True):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(zeros(out_features, in_features))
        self.bias = Parameter(zeros(out_features)) if bias else None
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)
'''

_FILES["tinyml/nn/modules/conv.py"] = '''from __future__ import annotations

from tinyml.tensor import zeros

from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module


class Conv2d(Module):
    """2-D convolution over a (N, C, H, W) input."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        k = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
        self.stride = stride
        self.padding = padding
        self.weight = Parameter(zeros(out_channels, in_channels, *k))
        self.bias = Parameter(zeros(out_channels)) if bias else None
        init.kaiming_uniform_(self.weight)

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding)
'''

_FILES["tinyml/nn/modules/activation.py"] = """from __future__ import annotations

from .. import functional as F
from .module import Module


class ReLU(Module):
    def forward(self, x):
        return F.relu(x)


class Dropout(Module):
    def __init__(self, p: float = 0.5):
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability has to be in [0, 1), got {p}")
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, training=self.training)
"""

_FILES["tinyml/nn/modules/container.py"] = '''from __future__ import annotations

from .module import Module


class Sequential(Module):
    """Applies its modules in order."""

    def __init__(self, *modules: Module):
        super().__init__()
        for i, m in enumerate(modules):
            setattr(self, str(i), m)

    def __len__(self):
        return len(self._modules)

    def __getitem__(self, index):
        return list(self._modules.values())[index]

    def forward(self, x):
        for m in self._modules.values():
            x = m(x)
        return x
'''

_FILES["tinyml/nn/init.py"] = '''"""In-place parameter initialisers."""

from __future__ import annotations

import math
import random


def _fan_in(tensor) -> int:
    fan = 1
    for size in tensor.shape[1:]:
        fan *= size
    return fan


def kaiming_uniform_(tensor, a: float = 0.0, generator=None):
    """He initialisation for layers followed by (leaky) ReLU."""
    rng = generator or random
    gain = math.sqrt(2.0 / (1 + a * a))
    bound = gain * math.sqrt(3.0 / _fan_in(tensor))
    tensor.data = [rng.uniform(-bound, bound) for _ in tensor.data]
    return tensor


def xavier_uniform_(tensor, gain: float = 1.0, generator=None):
    rng = generator or random
    fan_out = tensor.shape[0]
    bound = gain * math.sqrt(6.0 / (_fan_in(tensor) + fan_out))
    tensor.data = [rng.uniform(-bound, bound) for _ in tensor.data]
    return tensor


def zeros_(tensor):
    tensor.data = [0.0] * len(tensor.data)
    return tensor
'''

_FILES[
    "tinyml/nn/functional.py"
] = '''"""Stateless neural network functions: activations, linear, conv2d, interpolate, losses."""

from __future__ import annotations

import math
import random

from tinyml import _backend
from tinyml.autograd.function import Function
from tinyml.tensor import Tensor
from tinyml.tensor.ops import transpose

__all__ = ["conv2d", "cross_entropy", "dropout", "interpolate", "linear", "mse_loss", "relu"]


class _ReLU(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return Tensor([v if v > 0 else 0.0 for v in x.data], x.shape)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved
        return (Tensor([g if v > 0 else 0.0 for g, v in zip(grad.data, x.data)], x.shape),)


def relu(x: Tensor) -> Tensor:
    return _ReLU.apply(x)


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    out = x @ transpose(weight)
    return out + bias if bias is not None else out


def dropout(x: Tensor, p: float = 0.5, training: bool = True, generator=None) -> Tensor:
    if not training or p == 0.0:
        return x
    rng = generator or random
    mask = Tensor([0.0 if rng.random() < p else 1.0 / (1 - p) for _ in x.data], x.shape)
    return x * mask


def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0):
    """Direct convolution; uses the csrc kernel when tinyml._C is built."""
    n, c, h, w = x.shape
    oc, ic, kh, kw = weight.shape
    if ic != c:
        raise ValueError(f"conv2d: input has {c} channels, weight expects {ic}")
    oh = (h + 2 * padding - kh) // stride + 1
    ow = (w + 2 * padding - kw) // stride + 1
    if _backend.has_native():
        data = _backend.conv2d(x.data, x.shape, weight.data, weight.shape, stride, padding)
    else:
        data = []
        for b in range(n):
            for o in range(oc):
                for i in range(oh):
                    for j in range(ow):
                        acc = 0.0
                        for ch in range(c):
                            for di in range(kh):
                                for dj in range(kw):
                                    y = i * stride + di - padding
                                    z = j * stride + dj - padding
                                    if 0 <= y < h and 0 <= z < w:
                                        acc += (
                                            x.data[((b * c + ch) * h + y) * w + z]
                                            * weight.data[((o * ic + ch) * kh + di) * kw + dj]
                                        )
                        data.append(acc + (bias.data[o] if bias is not None else 0.0))
    return Tensor(data, (n, oc, oh, ow))


def interpolate(x: Tensor, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Resize a (N, C, H, W) tensor with nearest or bilinear sampling."""
    if mode not in ("nearest", "bilinear"):
        raise ValueError(f"interpolate: unsupported mode {mode!r}")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size or scale_factor")
    n, c, h, w = x.shape
    if size is not None:
        out_h, out_w = size if isinstance(size, tuple) else (size, size)
    else:
        out_h, out_w = int(math.floor(h * scale_factor)), int(math.floor(w * scale_factor))
    if mode == "nearest" and _backend.has_native():
        return Tensor(_backend.upsample_nearest2d(x.data, x.shape, out_h, out_w), (n, c, out_h, out_w))
    data = []
    for plane in range(n * c):
        base = plane * h * w
        for i in range(out_h):
            for j in range(out_w):
                if mode == "nearest":
                    src = x.data[base + min(i * h // out_h, h - 1) * w + min(j * w // out_w, w - 1)]
                else:
                    src = _bilinear(x.data, base, h, w, i, j, out_h, out_w, bool(align_corners))
                data.append(src)
    return Tensor(data, (n, c, out_h, out_w))


def _source_coord(dst: int, in_size: int, out_size: int, align_corners: bool) -> float:
    if align_corners:
        return dst * (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    return max((dst + 0.5) * in_size / out_size - 0.5, 0.0)


def _bilinear(data, base, h, w, i, j, out_h, out_w, align_corners):
    y = _source_coord(i, h, out_h, align_corners)
    x = _source_coord(j, w, out_w, align_corners)
    y0, x0 = int(y), int(x)
    y1, x1 = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
    dy, dx = y - y0, x - x0
    top = data[base + y0 * w + x0] * (1 - dx) + data[base + y0 * w + x1] * dx
    bottom = data[base + y1 * w + x0] * (1 - dx) + data[base + y1 * w + x1] * dx
    return top * (1 - dy) + bottom * dy


def mse_loss(input: Tensor, target: Tensor) -> Tensor:
    diff = input - target
    return (diff * diff).sum() * (1.0 / input.numel())


def cross_entropy(logits: Tensor, target: list[int]) -> float:
    """Mean negative log-likelihood of integer class targets (forward only)."""
    n, k = logits.shape
    total = 0.0
    for row, cls in enumerate(target):
        values = logits.data[row * k : (row + 1) * k]
        top = max(values)
        log_z = top + math.log(sum(math.exp(v - top) for v in values))
        total += log_z - values[cls]
    return total / n
'''

_FILES["tinyml/optim/__init__.py"] = '''"""Optimizers and learning-rate schedules."""

from . import lr_scheduler
from .adam import Adam
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "Optimizer", "lr_scheduler"]
'''

_FILES[
    "tinyml/optim/optimizer.py"
] = '''"""Base class that owns parameter groups and per-parameter state."""

from __future__ import annotations


class Optimizer:
    def __init__(self, params, defaults: dict):
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(params[0], dict):
            params = [{"params": params}]
        self.defaults = defaults
        self.param_groups = [{**defaults, **group} for group in params]
        self.state: dict[int, dict] = {}

    def zero_grad(self, set_to_none: bool = True):
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.data = [0.0] * len(p.grad.data)

    def step(self):
        raise NotImplementedError

    def state_dict(self) -> dict:
        groups = [{k: v for k, v in g.items() if k != "params"} for g in self.param_groups]
        return {"state": dict(self.state), "param_groups": groups}
'''

_FILES["tinyml/optim/sgd.py"] = '''from __future__ import annotations

from tinyml.autograd import no_grad

from .optimizer import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum and weight decay."""

    def __init__(self, params, lr=0.01, momentum=0.0, weight_decay=0.0, nesterov=False):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=nesterov))

    def step(self):
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = list(p.grad.data)
                    if group["weight_decay"]:
                        g = [gi + group["weight_decay"] * pi for gi, pi in zip(g, p.data)]
                    if group["momentum"]:
                        state = self.state.setdefault(id(p), {})
                        buf = state.get("momentum_buffer")
                        buf = g if buf is None else [group["momentum"] * b + gi for b, gi in zip(buf, g)]
                        state["momentum_buffer"] = buf
                        g = [gi + group["momentum"] * b for gi, b in zip(g, buf)] if group["nesterov"] else buf
                    p.data = [pi - group["lr"] * gi for pi, gi in zip(p.data, g)]
'''

_FILES["tinyml/optim/adam.py"] = '''from __future__ import annotations

import math

from tinyml.autograd import no_grad

from .optimizer import Optimizer


class Adam(Optimizer):
    """Adam, and AdamW-style decoupled weight decay when decoupled_weight_decay=True."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, decoupled_weight_decay=False):
        if not 0.0 <= betas[0] < 1.0 or not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameters: {betas}")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def step(self):
        with no_grad():
            for group in self.param_groups:
                beta1, beta2 = group["betas"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    grad = list(p.grad.data)
                    state = self.state.setdefault(id(p), {"step": 0})
                    if not state.get("exp_avg"):
                        state["exp_avg"] = [0.0] * len(grad)
                        state["exp_avg_sq"] = [0.0] * len(grad)
                        state["max_exp_avg_sq"] = [0.0] * len(grad)
                    state["step"] += 1
                    wd = group["weight_decay"]
                    if wd and group["decoupled_weight_decay"]:
                        p.data = [pi * (1 - group["lr"] * wd) for pi in p.data]
                    elif wd:
                        grad = [g + wd * pi for g, pi in zip(grad, p.data)]
                    m = [beta1 * mi + (1 - beta1) * g for mi, g in zip(state["exp_avg"], grad)]
                    v = [beta2 * vi + (1 - beta2) * g * g for vi, g in zip(state["exp_avg_sq"], grad)]
                    state["exp_avg"], state["exp_avg_sq"] = m, v
                    if group["amsgrad"]:
                        v = [max(a, b) for a, b in zip(state["max_exp_avg_sq"], v)]
                        state["max_exp_avg_sq"] = v
                    bias1 = 1 - beta1 ** state["step"]
                    bias2 = 1 - beta2 ** state["step"]
                    step_size = group["lr"] / bias1
                    p.data = [
                        pi - step_size * mi / (math.sqrt(vi / bias2) + group["eps"])
                        for pi, mi, vi in zip(p.data, m, v)
                    ]
'''

_FILES[
    "tinyml/optim/lr_scheduler.py"
] = '''"""Learning-rate schedules that update an optimizer's param groups each epoch."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .optimizer import Optimizer


class LRScheduler:
    def __init__(self, optimizer: Optimizer, last_epoch: int = -1):
        self.optimizer = optimizer
        self.base_lrs = [g.setdefault("initial_lr", g["lr"]) for g in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()

    def get_lr(self) -> list[float]:
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        return [g["lr"] for g in self.optimizer.param_groups]

    def step(self):
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr


class StepLR(LRScheduler):
    def __init__(self, optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1):
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t = min(self.last_epoch, self.T_max)
        cos = (1 + math.cos(math.pi * t / self.T_max)) / 2
        return [self.eta_min + (base - self.eta_min) * cos for base in self.base_lrs]


class LambdaLR(LRScheduler):
    def __init__(self, optimizer, lr_lambda, last_epoch: int = -1):
        self.lr_lambda = lr_lambda
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base * self.lr_lambda(self.last_epoch) for base in self.base_lrs]
'''

_FILES[
    "tinyml/data/__init__.py"
] = '''"""Datasets, samplers and the DataLoader that batches them."""

from .dataloader import DataLoader, default_collate
from .dataset import Dataset, Subset, TensorDataset, random_split
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = [
    "BatchSampler",
    "DataLoader",
    "Dataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "TensorDataset",
    "default_collate",
    "random_split",
]
'''

_FILES["tinyml/data/dataset.py"] = '''from __future__ import annotations

import random


class Dataset:
    """Anything with __getitem__ and __len__."""

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError


class TensorDataset(Dataset):
    """Rows of equally long tensors, indexed along their first dimension."""

    def __init__(self, *tensors):
        if len({t.shape[0] for t in tensors}) != 1:
            raise ValueError("TensorDataset: all tensors need the same first dimension")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(_row(t, index) for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]


class Subset(Dataset):
    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = list(indices)

    def __getitem__(self, index):
        return self.dataset[self.indices[index]]

    def __len__(self):
        return len(self.indices)


def random_split(dataset, lengths, generator=None):
    """Split a dataset into non-overlapping subsets of the given lengths."""
    if sum(lengths) != len(dataset):
        raise ValueError("random_split: lengths must add up to the dataset's length")
    order = list(range(len(dataset)))
    (generator or random).shuffle(order)
    out, start = [], 0
    for n in lengths:
        out.append(Subset(dataset, order[start : start + n]))
        start += n
    return out


def _row(t, index):
    from tinyml.tensor import Tensor  # keeps `import tinyml.data` free of tensor imports

    width = len(t.data) // t.shape[0]
    return Tensor(t.data[index * width : (index + 1) * width], t.shape[1:])
'''

_FILES["tinyml/data/sampler.py"] = '''from __future__ import annotations

import random


class Sampler:
    def __iter__(self):
        raise NotImplementedError


class SequentialSampler(Sampler):
    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """Shuffles indices each epoch; pass a seeded random.Random for repeatable order."""

    def __init__(self, data_source, generator=None):
        self.data_source = data_source
        self.generator = generator or random.Random()

    def __iter__(self):
        order = list(range(len(self.data_source)))
        self.generator.shuffle(order)
        return iter(order)

    def __len__(self):
        return len(self.data_source)


class BatchSampler(Sampler):
    def __init__(self, sampler, batch_size: int, drop_last: bool):
        if batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer, got {batch_size}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        batch = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        full, rest = divmod(len(self.sampler), self.batch_size)
        return full if self.drop_last or not rest else full + 1
'''

_FILES[
    "tinyml/data/dataloader.py"
] = '''"""Batches samples from a Dataset through a sampler and a collate function."""

from __future__ import annotations

from tinyml.tensor import Tensor

from .sampler import BatchSampler, RandomSampler, SequentialSampler


def default_collate(samples):
    """Stack a list of samples (tensors, numbers or tuples of them) into a batch."""
    first = samples[0]
    if isinstance(first, Tensor):
        return Tensor([v for s in samples for v in s.data], (len(samples), *first.shape))
    if isinstance(first, (int, float)):
        return Tensor([float(s) for s in samples], (len(samples),))
    if isinstance(first, (tuple, list)):
        return type(first)(default_collate(list(group)) for group in zip(*samples))
    raise TypeError(f"default_collate: cannot batch samples of type {type(first).__name__}")


class DataLoader:
    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False,
                 collate_fn=None, generator=None):
        self.dataset = dataset
        sampler = RandomSampler(dataset, generator) if shuffle else SequentialSampler(dataset)
        self.batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.collate_fn = collate_fn or default_collate

    def __iter__(self):
        for indices in self.batch_sampler:
            yield self.collate_fn([self.dataset[i] for i in indices])

    def __len__(self):
        return len(self.batch_sampler)
'''
