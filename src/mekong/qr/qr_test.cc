#include "mekong/qr/qr.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>

namespace mekong::qr {
namespace {

// Reads a PNG back with zbarimg, an independent decoder. zbarimg missing is a failure.
std::string Decode(const std::string& png) {
  std::string path = ::testing::TempDir() + "/mekong_qr_test.png";
  std::ofstream(path, std::ios::binary) << png;
  std::string out;
  FILE* p = popen(("zbarimg --quiet --raw " + path + " 2>/dev/null").c_str(), "r");
  if (!p) return "popen failed";
  std::array<char, 512> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

TEST(Qr, PngReadsBackWithZbar) {
  for (const std::string text : {"hello, Mekong", "MKV1:123:0A1B2C3D4E5F60718293", "Nhà hàng Hạ Long 下龙湾"}) {
    auto png = RenderPng(text);
    ASSERT_TRUE(png.ok()) << png.status().ToString();
    EXPECT_EQ(png->substr(1, 3), "PNG");
    EXPECT_EQ(Decode(*png), text);
  }
  Options q;
  q.ec = ErrorCorrection::kQuartile;
  q.module_px = 3;
  EXPECT_EQ(Decode(*RenderPng("MKV1:7:ABCDEF", q)), "MKV1:7:ABCDEF");
}

TEST(Qr, MatrixSizeAndErrorCorrection) {
  auto small = Encode("MKV1");
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->size, 21);  // version 1
  Options low, high;
  low.ec = ErrorCorrection::kLow;
  high.ec = ErrorCorrection::kHigh;
  std::string text(60, 'x');
  EXPECT_LT(Encode(text, low)->size, Encode(text, high)->size);
}

TEST(Qr, SvgDrawsEveryDarkModule) {
  Options o;
  auto m = Encode("MKV1:42:ABCDEF0123", o);
  auto svg = RenderSvg("MKV1:42:ABCDEF0123", o);
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(svg->rfind("<svg", 0), 0u);
  int side = m->size + 2 * o.quiet_zone;
  EXPECT_NE(svg->find("viewBox=\"0 0 " + std::to_string(side) + " " + std::to_string(side) + "\""),
            std::string::npos);
  // Sum the widths of the horizontal runs in the path; it must equal the dark modules.
  std::regex run("h(\\d+)v1");
  long drawn = 0;
  for (auto it = std::sregex_iterator(svg->begin(), svg->end(), run); it != std::sregex_iterator(); ++it) {
    drawn += std::stol((*it)[1]);
  }
  long dark = 0;
  for (auto d : m->dark) dark += d;
  EXPECT_EQ(drawn, dark);
}

TEST(Qr, BadInputIsAnError) {
  EXPECT_EQ(Encode("").status().field(), "text");
  Options o;
  o.module_px = 0;
  EXPECT_EQ(RenderPng("x", o).status().field(), "module_px");
  o = {};
  o.quiet_zone = 17;
  EXPECT_EQ(RenderSvg("x", o).status().field(), "quiet_zone");
  auto big = RenderPng(std::string(5000, 'z'));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), Code::kInvalidArgument);
  EXPECT_NE(big.status().message().find("too long"), std::string::npos);
  EXPECT_TRUE(Encode(std::string("a\0b", 3)).ok());
}

}  // namespace
}  // namespace mekong::qr
