#include "mekong/qr/qr.h"

#include <png.h>
#include <qrencode.h>

#include <algorithm>
#include <cerrno>
#include <csetjmp>
#include <memory>
#include <string>

namespace mekong::qr {

namespace {

Status CheckOptions(const Options& o) {
  if (o.module_px < 1 || o.module_px > 64) {
    return Status::InvalidArgument("module_px must be 1 to 64", "module_px");
  }
  if (o.quiet_zone < 0 || o.quiet_zone > 16) {
    return Status::InvalidArgument("quiet_zone must be 0 to 16", "quiet_zone");
  }
  return Status::Ok();
}

QRecLevel Level(ErrorCorrection ec) {
  switch (ec) {
    case ErrorCorrection::kLow:
      return QR_ECLEVEL_L;
    case ErrorCorrection::kMedium:
      return QR_ECLEVEL_M;
    case ErrorCorrection::kQuartile:
      return QR_ECLEVEL_Q;
    case ErrorCorrection::kHigh:
      return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

// Byte mode means ISO-8859-1 unless an ECI header says otherwise, and readers that guess show
// UTF-8 as mojibake (zbar reads "Hạ Long" as "Háº¡ Long").
constexpr unsigned kEciUtf8 = 26;

// One 8-bit segment, for text that QRcode_encodeString cannot take: it has NUL bytes or needs
// the UTF-8 ECI header.
QRcode* EncodeBytes(std::string_view text, QRecLevel level, bool utf8) {
  QRinput* input = QRinput_new2(/*version=*/0, level);  // 0: the smallest version that fits
  if (input == nullptr) return nullptr;
  QRcode* code = nullptr;
  if ((!utf8 || QRinput_appendECIheader(input, kEciUtf8) == 0) &&
      QRinput_append(input, QR_MODE_8, static_cast<int>(text.size()),
                     reinterpret_cast<const unsigned char*>(text.data())) == 0) {
    code = QRcode_encodeInput(input);
  }
  const int error = errno;
  QRinput_free(input);
  errno = error;  // keeps the ERANGE that tells the caller the text is too long
  return code;
}

void AppendPng(png_structp png, png_bytep data, png_size_t len) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), len);
}

}  // namespace

Result<Matrix> Encode(std::string_view text, const Options& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  if (text.empty()) return Status::InvalidArgument("text must not be empty", "text");
  const bool ascii = std::all_of(text.begin(), text.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  errno = 0;  // libqrencode reports why it failed only through errno
  QRcode* raw = nullptr;
  if (ascii && text.find('\0') == std::string_view::npos) {
    // encodeString switches to numeric and alphanumeric segments where it can (a denser code).
    raw = QRcode_encodeString(std::string(text).c_str(), 0, Level(options.ec), QR_MODE_8,
                              /*casesensitive=*/1);
  } else {
    raw = EncodeBytes(text, Level(options.ec), /*utf8=*/!ascii);
  }
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(raw, &QRcode_free);
  if (!code) {
    if (errno == ERANGE) {
      return Status::InvalidArgument(
          std::to_string(text.size()) +
              " bytes is too long for a QR code at this error correction level",
          "text");
    }
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
  // Everything with a destructor is declared before setjmp, so the longjmp skips none.
  std::vector<png_byte> row(static_cast<size_t>(side));
  if (setjmp(png_jmpbuf(png))) {  // libpng reports errors by longjmp
    png_destroy_write_struct(&png, &info);
    return Status::Internal("libpng failed to write the image");
  }
  png_set_write_fn(png, &out, AppendPng, nullptr);
  png_set_IHDR(png, info, side, side, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
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
      path += "M" + std::to_string(x + options.quiet_zone) + " " +
              std::to_string(y + options.quiet_zone) + "h" + std::to_string(run) + "v1h-" +
              std::to_string(run) + "z";
      x += run;
    }
  }
  const std::string s = std::to_string(side);
  const std::string px = std::to_string(side * options.module_px);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s + "\" width=\"" +
         px + "\" height=\"" + px + "\" shape-rendering=\"crispEdges\"><rect width=\"" + s +
         "\" height=\"" + s + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
}

}  // namespace mekong::qr
