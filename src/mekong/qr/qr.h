// QR codes for posters and credentials: text in, PNG bytes or an SVG document out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"

namespace mekong::qr {

enum class ErrorCorrection { kLow, kMedium, kQuartile, kHigh };

struct Options {
  ErrorCorrection ec = ErrorCorrection::kMedium;
  int module_px = 8;   // pixels per module in PNG output, 1..64
  int quiet_zone = 4;  // modules of white border, 0..16 (the standard asks for 4)
};

struct Matrix {
  int size = 0;               // modules per side
  std::vector<uint8_t> dark;  // size * size, row-major, 1 = dark
  bool at(int x, int y) const { return dark[static_cast<size_t>(y) * size + x] != 0; }
};

// `text` is UTF-8. The smallest version that fits is chosen. ASCII text switches to alphanumeric
// or numeric mode for the runs that allow it; other text is one 8-bit segment behind a UTF-8 ECI
// header, so that readers do not take it for ISO-8859-1.
Result<Matrix> Encode(std::string_view text, const Options& options = {});
// 8-bit greyscale PNG, black on white, quiet zone included.
Result<std::string> RenderPng(std::string_view text, const Options& options = {});
// A standalone SVG: one path of the dark modules over a white background, viewBox in modules.
Result<std::string> RenderSvg(std::string_view text, const Options& options = {});

}  // namespace mekong::qr
