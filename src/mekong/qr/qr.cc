#include "mekong/qr/qr.h"

#include <png.h>
#include <qrencode.h>

#include <cerrno>
#include <csetjmp>
#include <memory>

namespace mekong::qr {

namespace {

Status CheckOptions(const Options& o) {
  if (o.module_px < 1 || o.module_px > 64) return Status::InvalidArgument("must be 1 to 64", "module_px");
  if (o.quiet_zone < 0 || o.quiet_zone > 16) return Status::InvalidArgument("must be 0 to 16", "quiet_zone");
  return Status::Ok();
}

QRecLevel Level(ErrorCorrection ec) {
  switch (ec) {
    case ErrorCorrection::kLow: return QR_ECLEVEL_L;
    case ErrorCorrection::kMedium: return QR_ECLEVEL_M;
    case ErrorCorrection::kQuartile: return QR_ECLEVEL_Q;
    case ErrorCorrection::kHigh: return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

void AppendPng(png_structp png, png_bytep data, png_size_t len) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), len);
}

}  // namespace

Result<Matrix> Encode(std::string_view text, const Options& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  if (text.empty()) return Status::InvalidArgument("must not be empty", "text");
  errno = 0;
  // encodeString picks numeric and alphanumeric segments where it can (denser codes); it needs
  // a C string, so text holding NUL bytes goes through encodeData, which uses 8-bit mode.
  QRcode* raw = nullptr;
  if (text.find('\0') == std::string_view::npos) {
    std::string s(text);
    raw = QRcode_encodeString(s.c_str(), 0, Level(options.ec), QR_MODE_8, /*casesensitive=*/1);
  } else {
    raw = QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0,
                            Level(options.ec));
  }
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(raw, &QRcode_free);
  if (!code) {
    if (errno == ERANGE) return Status::InvalidArgument("too long for a QR code", "text");
    return Status::Internal("QR encoding failed");
  }
  Matrix m;
  m.size = code->width;
  m.dark.resize(static_cast<size_t>(m.size) * m.size);
  for (size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = code->data[i] & 1;
  return m;
}

Result<std::string> RenderPng(std::string_view text, const Options& options) {
  ASSIGN_OR_RETURN(Matrix m, Encode(text, options));
  const int side = (m.size + 2 * options.quiet_zone) * options.module_px;
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return Status::Internal("libpng could not start");
  }
  std::vector<png_byte> row(static_cast<size_t>(side));
  if (setjmp(png_jmpbuf(png))) {  // libpng reports errors by longjmp
    png_destroy_write_struct(&png, &info);
    return Status::Internal("libpng failed to write the image");
  }
  png_set_write_fn(png, &out, AppendPng, nullptr);
  png_set_IHDR(png, info, side, side, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < side; ++y) {
    int my = y / options.module_px - options.quiet_zone;
    for (int x = 0; x < side; ++x) {
      int mx = x / options.module_px - options.quiet_zone;
      bool dark = mx >= 0 && my >= 0 && mx < m.size && my < m.size && m.at(mx, my);
      row[static_cast<size_t>(x)] = dark ? 0 : 255;
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

Result<std::string> RenderSvg(std::string_view text, const Options& options) {
  ASSIGN_OR_RETURN(Matrix m, Encode(text, options));
  const int side = m.size + 2 * options.quiet_zone;
  std::string path;
  // One subpath per horizontal run of dark modules keeps the document small.
  for (int y = 0; y < m.size; ++y) {
    for (int x = 0; x < m.size;) {
      if (!m.at(x, y)) {
        ++x;
        continue;
      }
      int run = 0;
      while (x + run < m.size && m.at(x + run, y)) ++run;
      path += "M" + std::to_string(x + options.quiet_zone) + " " + std::to_string(y + options.quiet_zone) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  std::string s = std::to_string(side);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s + "\" width=\"" +
         std::to_string(side * options.module_px) + "\" height=\"" + std::to_string(side * options.module_px) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + s + "\" height=\"" + s +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
}

}  // namespace mekong::qr
