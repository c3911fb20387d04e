"""C++ and CUDA sources of tinyml's `csrc/` (final tree), as data.

They form `#include` chains through the include root `csrc/include`, and
`csrc/python_bindings.cpp` defines the `tinyml._C` module that `tinyml/_backend.py` loads.
"""

from __future__ import annotations


def native_files() -> dict[str, str]:
    """Return {repository path: source text} for everything under csrc/."""
    return dict(_FILES)


_FILES: dict[str, str] = {}

_FILES["csrc/include/tinyml/tensor.h"] = r"""#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace tinyml {

// A view of a contiguous float buffer with a row-major shape, as passed from Python.
struct TensorView {
  const float* data;
  std::vector<int64_t> shape;

  int64_t dim(size_t i) const { return shape.at(i); }
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t s : shape) n *= s;
    return n;
  }
};

inline void check(bool cond, const char* message) {
  if (!cond) throw std::invalid_argument(message);
}

}  // namespace tinyml
"""

_FILES["csrc/include/tinyml/ops.h"] = r"""#pragma once

#include <vector>

#include "tinyml/tensor.h"

namespace tinyml {

std::vector<float> conv2d_forward(const TensorView& input, const TensorView& weight,
                                  int64_t stride, int64_t padding);

std::vector<float> upsample_nearest2d(const TensorView& input, int64_t out_h, int64_t out_w);

std::vector<float> relu(const TensorView& input);

}  // namespace tinyml
"""

_FILES["csrc/include/tinyml/cuda_utils.h"] = r"""#pragma once

#include <cuda_runtime.h>

#include "tinyml/tensor.h"

#define TINYML_CUDA_CHECK(expr)                                        \
  do {                                                                 \
    cudaError_t err = (expr);                                          \
    if (err != cudaSuccess) throw std::runtime_error(cudaGetErrorString(err)); \
  } while (0)

namespace tinyml {

inline int blocks_for(int64_t n, int threads) { return static_cast<int>((n + threads - 1) / threads); }

}  // namespace tinyml
"""

_FILES["csrc/ops/conv.cpp"] = r"""#include "tinyml/ops.h"

namespace tinyml {

// Direct convolution, NCHW input and OIHW weight. Matches tinyml.nn.functional.conv2d.
std::vector<float> conv2d_forward(const TensorView& input, const TensorView& weight,
                                  int64_t stride, int64_t padding) {
  check(input.shape.size() == 4, "conv2d: expected a 4-D input (N, C, H, W)");
  check(weight.shape.size() == 4, "conv2d: expected a 4-D weight (O, I, kH, kW)");
  check(stride > 0, "conv2d: stride must be positive");
  const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2), w = input.dim(3);
  const int64_t oc = weight.dim(0), kh = weight.dim(2), kw = weight.dim(3);
  check(weight.dim(1) == c, "conv2d: weight channels do not match the input");
  const int64_t oh = (h + 2 * padding - kh) / stride + 1;
  const int64_t ow = (w + 2 * padding - kw) / stride + 1;
  std::vector<float> out(n * oc * oh * ow, 0.0f);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t o = 0; o < oc; ++o)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          float acc = 0.0f;
          for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t di = 0; di < kh; ++di)
              for (int64_t dj = 0; dj < kw; ++dj) {
                const int64_t y = i * stride + di - padding;
                const int64_t x = j * stride + dj - padding;
                if (y < 0 || y >= h || x < 0 || x >= w) continue;
                acc += input.data[((b * c + ch) * h + y) * w + x] *
                       weight.data[((o * c + ch) * kh + di) * kw + dj];
              }
          out[((b * oc + o) * oh + i) * ow + j] = acc;
        }
  return out;
}

}  // namespace tinyml
"""

_FILES["csrc/ops/upsample.cpp"] = r"""#include <algorithm>

#include "tinyml/ops.h"

namespace tinyml {

// Nearest-neighbour resize of every (H, W) plane; used by F.interpolate(mode="nearest").
std::vector<float> upsample_nearest2d(const TensorView& input, int64_t out_h, int64_t out_w) {
  check(input.shape.size() == 4, "upsample_nearest2d: expected a 4-D input");
  check(out_h > 0 && out_w > 0, "upsample_nearest2d: output size must be positive");
  const int64_t planes = input.dim(0) * input.dim(1), h = input.dim(2), w = input.dim(3);
  std::vector<float> out(planes * out_h * out_w);
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t i = 0; i < out_h; ++i) {
      const int64_t y = std::min(i * h / out_h, h - 1);
      for (int64_t j = 0; j < out_w; ++j) {
        const int64_t x = std::min(j * w / out_w, w - 1);
        out[(p * out_h + i) * out_w + j] = input.data[(p * h + y) * w + x];
      }
    }
  return out;
}

}  // namespace tinyml
"""

_FILES["csrc/ops/elementwise.cpp"] = r"""#include "tinyml/ops.h"

namespace tinyml {

std::vector<float> relu(const TensorView& input) {
  std::vector<float> out(input.numel());
  for (int64_t i = 0; i < input.numel(); ++i) out[i] = input.data[i] > 0.0f ? input.data[i] : 0.0f;
  return out;
}

}  // namespace tinyml
"""

_FILES["csrc/ops/relu_cuda.cu"] = r"""#include "tinyml/cuda_utils.h"

namespace tinyml {

__global__ void relu_kernel(const float* in, float* out, int64_t n) {
  const int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;
  if (i < n) out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}

void relu_cuda(const float* in, float* out, int64_t n, cudaStream_t stream) {
  constexpr int threads = 256;
  relu_kernel<<<blocks_for(n, threads), threads, 0, stream>>>(in, out, n);
  TINYML_CUDA_CHECK(cudaGetLastError());
}

}  // namespace tinyml
"""

_FILES[
    "csrc/python_bindings.cpp"
] = r"""// Defines the tinyml._C extension module loaded by tinyml/_backend.py.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "tinyml/ops.h"

namespace py = pybind11;

namespace {

tinyml::TensorView view(const std::vector<float>& data, const std::vector<int64_t>& shape) {
  return tinyml::TensorView{data.data(), shape};
}

}  // namespace

PYBIND11_MODULE(_C, m) {
  m.doc() = "tinyml native kernels";
  m.def("conv2d_forward", [](const std::vector<float>& x, const std::vector<int64_t>& xs,
                             const std::vector<float>& w, const std::vector<int64_t>& ws,
                             int64_t stride, int64_t padding) {
    return tinyml::conv2d_forward(view(x, xs), view(w, ws), stride, padding);
  });
  m.def("upsample_nearest2d", [](const std::vector<float>& x, const std::vector<int64_t>& xs,
                                 int64_t out_h, int64_t out_w) {
    return tinyml::upsample_nearest2d(view(x, xs), out_h, out_w);
  });
  m.def("relu", [](const std::vector<float>& x, const std::vector<int64_t>& xs) {
    return tinyml::relu(view(x, xs));
  });
}
"""
