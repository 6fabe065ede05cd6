#include "mekong/qr/qr.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>

namespace mekong::qr {
namespace {

// Reads a PNG back with zbarimg, an independent decoder. The project installs zbar-tools, so a
// missing zbarimg (shell status 127) fails the test rather than skipping it.
std::string Decode(const std::string& png) {
  const std::string path =
      ::testing::TempDir() + "/mekong_qr_test_" + std::to_string(getpid()) + ".png";
  std::ofstream(path, std::ios::binary) << png;
  FILE* p = popen(("zbarimg --quiet --raw '" + path + "' 2>/dev/null").c_str(), "r");
  if (p == nullptr) {
    ADD_FAILURE() << "popen failed";
    return {};
  }
  std::string out;
  std::array<char, 512> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int status = pclose(p);
  std::remove(path.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "zbarimg exited with status " << WEXITSTATUS(status) << " (127: not installed)";
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// PNG stores the IHDR width and height big-endian at bytes 16 and 20.
uint32_t PngDimension(const std::string& png, size_t offset) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<uint8_t>(png[offset + i]);
  return v;
}

TEST(Qr, PngReadsBackWithZbar) {
  for (const std::string text :
       {"hello, Mekong", "MKV1:123:0A1B2C3D4E5F60718293", "Nhà hàng Hạ Long"}) {
    SCOPED_TRACE(text);
    auto png = RenderPng(text);
    ASSERT_TRUE(png.ok()) << png.status().ToString();
    EXPECT_EQ(png->substr(0, 8), "\x89PNG\r\n\x1a\n");
    EXPECT_EQ(Decode(*png), text);
  }
  Options o;
  o.ec = ErrorCorrection::kQuartile;
  o.module_px = 3;
  o.quiet_zone = 2;
  auto png = RenderPng("MKV1:7:ABCDEF", o);
  ASSERT_TRUE(png.ok());
  const uint32_t side = (21 + 2 * 2) * 3;
  EXPECT_EQ(PngDimension(*png, 16), side);
  EXPECT_EQ(PngDimension(*png, 20), side);
  EXPECT_EQ(Decode(*png), "MKV1:7:ABCDEF");
}

TEST(Qr, MatrixSizeAndErrorCorrection) {
  auto v1 = Encode("MKV1");
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->size, 21);
  EXPECT_EQ(v1->dark.size(), 21u * 21u);
  // 29 characters fit version 2 (25 modules) at level M only in alphanumeric mode; 8-bit mode
  // holds 26 bytes there and would need version 3.
  EXPECT_EQ(Encode("MKV1:123:0A1B2C3D4E5F60718293")->size, 25);

  Options low, high;
  low.ec = ErrorCorrection::kLow;
  high.ec = ErrorCorrection::kHigh;
  auto l = Encode("MKV1", low), h = Encode("MKV1", high);
  ASSERT_TRUE(l.ok() && h.ok());
  EXPECT_EQ(l->size, h->size);
  EXPECT_NE(l->dark, h->dark);
  const std::string text(60, 'x');
  EXPECT_LT(Encode(text, low)->size, Encode(text, high)->size);
}

TEST(Qr, SvgPathDrawsExactlyTheDarkModules) {
  const std::string text = "MKV1:42:ABCDEF0123";
  Options o;
  o.quiet_zone = 3;
  auto m = Encode(text, o);
  auto svg = RenderSvg(text, o);
  ASSERT_TRUE(m.ok() && svg.ok());
  EXPECT_EQ(svg->rfind("<svg", 0), 0u);
  EXPECT_NE(svg->find("</svg>"), std::string::npos);
  EXPECT_NE(svg->find("shape-rendering=\"crispEdges\""), std::string::npos);
  const std::string side = std::to_string(m->size + 2 * o.quiet_zone);
  EXPECT_NE(svg->find("viewBox=\"0 0 " + side + " " + side + "\""), std::string::npos);
  const size_t path = svg->find("<path");
  ASSERT_NE(path, std::string::npos);
  EXPECT_EQ(svg->find("<path", path + 1), std::string::npos);

  // Repaint the path's runs onto a grid; it must match the matrix module for module, and the
  // runs must account for the whole d attribute.
  const size_t d_begin = svg->find("d=\"", path) + 3;
  const std::string d = svg->substr(d_begin, svg->find('"', d_begin) - d_begin);
  std::vector<uint8_t> painted(m->dark.size());
  size_t parsed = 0;
  const std::regex run("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  for (auto it = std::sregex_iterator(d.begin(), d.end(), run); it != std::sregex_iterator();
       ++it) {
    const auto& r = *it;
    ASSERT_EQ(r[3], r[4]);
    const int x = std::stoi(r[1]) - o.quiet_zone, y = std::stoi(r[2]) - o.quiet_zone;
    for (int i = 0; i < std::stoi(r[3]); ++i) {
      ASSERT_TRUE(x + i < m->size && y < m->size && x >= 0 && y >= 0);
      ++painted[static_cast<size_t>(y) * m->size + x + i];
    }
    parsed += r.length();
  }
  EXPECT_EQ(parsed, d.size());
  EXPECT_EQ(painted, m->dark);
}

TEST(Qr, BadInputIsAnInvalidArgument) {
  auto empty = Encode("");
  EXPECT_EQ(empty.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(empty.status().field(), "text");

  for (int px : {0, 65}) {
    Options o;
    o.module_px = px;
    EXPECT_EQ(RenderPng("x", o).status().code(), Code::kInvalidArgument);
    EXPECT_EQ(RenderPng("x", o).status().field(), "module_px");
  }
  for (int qz : {-1, 17}) {
    Options o;
    o.quiet_zone = qz;
    EXPECT_EQ(RenderSvg("x", o).status().code(), Code::kInvalidArgument);
    EXPECT_EQ(RenderSvg("x", o).status().field(), "quiet_zone");
  }

  auto big = RenderPng(std::string(5000, 'z'));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(big.status().field(), "text");
  EXPECT_NE(big.status().message().find("too long"), std::string::npos) << big.status().ToString();
  std::string big_utf8;
  for (int i = 0; i < 2500; ++i) big_utf8 += "ạ";  // the ECI path, not encodeString
  EXPECT_EQ(Encode(big_utf8).status().field(), "text");
  EXPECT_NE(Encode(big_utf8).status().message().find("too long"), std::string::npos);

  // Text with NUL bytes cannot go through the C-string API but is still encodable.
  EXPECT_TRUE(Encode(std::string("a\0b", 3)).ok());
}

}  // namespace
}  // namespace mekong::qr
