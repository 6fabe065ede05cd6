#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "mekong/core/crypto.h"
#include "mekong/interop/base45.h"
#include "mekong/interop/cbor.h"
#include "mekong/interop/zlib_codec.h"

namespace mekong::interop {
namespace {

std::string Hex(std::string_view h) { return *HexDecode(h); }

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

// RFC 8949 Appendix A: the definite-length examples decode and re-encode to the same bytes.
TEST(Cbor, Rfc8949Examples) {
  struct Case {
    const char* hex;
    Cbor value;
  } cases[] = {
      {"00", Cbor::Int(0)},
      {"17", Cbor::Int(23)},
      {"1818", Cbor::Int(24)},
      {"1903e8", Cbor::Int(1000)},
      {"1a000f4240", Cbor::Int(1000000)},
      {"1b000000e8d4a51000", Cbor::Int(1000000000000)},
      {"20", Cbor::Int(-1)},
      {"3863", Cbor::Int(-100)},
      {"3903e7", Cbor::Int(-1000)},
      {"fb3ff199999999999a", Cbor::Float(1.1)},
      {"fa47c35000", Cbor::Float(100000.0)},
      {"fa7f7fffff", Cbor::Float(3.4028234663852886e+38)},
      {"f4", Cbor::Bool(false)},
      {"f5", Cbor::Bool(true)},
      {"f6", Cbor::Null()},
      {"f7", Cbor::Undefined()},
      {"4401020304", Cbor::Bytes(Hex("01020304"))},
      {"60", Cbor::Text("")},
      {"6449455446", Cbor::Text("IETF")},
      {"62c3bc", Cbor::Text("\xc3\xbc")},
      {"80", Cbor::Array({})},
      {"83010203", Cbor::Array({Cbor::Int(1), Cbor::Int(2), Cbor::Int(3)})},
      {"8301820203820405", Cbor::Array({Cbor::Int(1), Cbor::Array({Cbor::Int(2), Cbor::Int(3)}),
                                        Cbor::Array({Cbor::Int(4), Cbor::Int(5)})})},
      {"a0", Cbor::Map({})},
      {"a201020304", Cbor::Map({{Cbor::Int(1), Cbor::Int(2)}, {Cbor::Int(3), Cbor::Int(4)}})},
      {"a26161016162820203", Cbor::Map({{Cbor::Text("a"), Cbor::Int(1)},
                                        {Cbor::Text("b"), Cbor::Array({Cbor::Int(2), Cbor::Int(3)})}})},
      {"c11a514b67b0", Cbor::Tag(1, Cbor::Int(1363896240))},
  };
  for (const auto& c : cases) {
    auto v = DecodeCbor(Hex(c.hex));
    ASSERT_TRUE(v.ok()) << c.hex << ": " << v.status().ToString();
    EXPECT_EQ(*v, c.value) << c.hex;
    EXPECT_EQ(HexEncode(EncodeCbor(c.value)), c.hex);
  }
  // Half precision decodes (it is never produced by the encoder).
  EXPECT_EQ(DecodeCbor(Hex("f93e00"))->float_value(), 1.5);
  EXPECT_EQ(DecodeCbor(Hex("f9c400"))->float_value(), -4.0);
  EXPECT_EQ(DecodeCbor(Hex("f90001"))->float_value(), 5.960464477539063e-8);
}

TEST(Cbor, IndefiniteLengths) {
  EXPECT_EQ(*DecodeCbor(Hex("5f42010243030405ff")), Cbor::Bytes(Hex("0102030405")));
  EXPECT_EQ(*DecodeCbor(Hex("9fff")), Cbor::Array({}));
  EXPECT_EQ(*DecodeCbor(Hex("9f018202039f0405ffff")),
            (Cbor::Array({Cbor::Int(1), Cbor::Array({Cbor::Int(2), Cbor::Int(3)}),
                          Cbor::Array({Cbor::Int(4), Cbor::Int(5)})})));
  auto m = DecodeCbor(Hex("bf61610161629f0203ffff"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Find("a")->int_value(), 1);
  EXPECT_EQ(m->Find("b")->array().size(), 2u);
}

TEST(Cbor, HostileInputFailsCleanly) {
  std::string valid = Hex("a26161016162820203");
  for (size_t n = 0; n < valid.size(); ++n) {
    EXPECT_FALSE(DecodeCbor(valid.substr(0, n)).ok()) << n;
  }
  EXPECT_FALSE(DecodeCbor(std::string(1000, '\x81') + '\x01').ok());  // nesting
  EXPECT_FALSE(DecodeCbor(Hex("5b4000000000000000")).ok());          // 2^62-byte string
  EXPECT_FALSE(DecodeCbor(Hex("9b4000000000000000")).ok());          // 2^62 items
  EXPECT_FALSE(DecodeCbor(Hex("0000")).ok());                        // trailing byte
  EXPECT_FALSE(DecodeCbor(Hex("ff")).ok());                          // lone break
  EXPECT_FALSE(DecodeCbor(Hex("1c")).ok());                          // reserved AI 28
  EXPECT_FALSE(DecodeCbor(Hex("1bffffffffffffffff")).ok());          // beyond int64
  EXPECT_FALSE(DecodeCbor(Hex("5f01ff")).ok());                      // wrong chunk type
  EXPECT_FALSE(DecodeCbor("").ok());
}

TEST(Cbor, RealEuCertificateMatchesItsJson) {
  auto tc = ReadJson(std::string(MEKONG_TESTDATA) + "/eu-dcc/AT/2DCode/raw/1.json");
  auto v = DecodeCbor(Hex(tc["CBOR"].get<std::string>()));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  auto json = CborToJson(*v);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(nlohmann::json::parse(*json), tc["JSON"]);
  // And back: JSON -> CBOR -> JSON is stable.
  auto again = JsonToCbor(*json);
  EXPECT_EQ(nlohmann::json::parse(*CborToJson(*again)), tc["JSON"]);
}

// Found by fuzz_cbor: a map key that is neither text nor an integer, holding invalid UTF-8,
// made CborToJson throw from inside the JSON library.
TEST(Cbor, NonTextKeysWithInvalidUtf8ConvertToJson) {
  Cbor m = Cbor::Map({{Cbor::Array({Cbor::Text("\xff\xfe")}), Cbor::Int(1)}});
  auto json = CborToJson(m);
  ASSERT_TRUE(json.ok());
  EXPECT_FALSE(json->empty());
}

// Found by fuzz_cbor: maps used as keys of maps, nested, made the JSON grow exponentially.
TEST(Cbor, NestedMapKeysConvertInLinearSpace) {
  Cbor v = Cbor::Int(1);
  for (int i = 0; i < 30; ++i) v = Cbor::Map({{v, Cbor::Text("x")}});
  auto json = CborToJson(v);
  ASSERT_TRUE(json.ok());
  EXPECT_LT(json->size(), 10000u);
  EXPECT_EQ(json->rfind("{\"cbor:", 0), 0u);
}

TEST(Base45, Rfc9285Examples) {
  EXPECT_EQ(Base45Encode("AB"), "BB8");
  EXPECT_EQ(Base45Encode("Hello!!"), "%69 VD92EX0");
  EXPECT_EQ(Base45Encode("base-45"), "UJCLQE7W581");
  EXPECT_EQ(*Base45Decode("QED8WEX0"), "ietf!");
  EXPECT_EQ(*Base45Decode("%69 VD92EX0"), "Hello!!");
  EXPECT_FALSE(Base45Decode("GGW").ok());   // 65536 and more
  EXPECT_FALSE(Base45Decode("A").ok());     // a lone character
  EXPECT_FALSE(Base45Decode("ab").ok());    // lower case is not in the alphabet
  EXPECT_FALSE(Base45Decode(":::").ok());   // 44 * (1 + 45 + 2025) > 65535
  std::mt19937 rng(7);
  for (size_t n = 0; n <= 100; ++n) {
    std::string bytes(n, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    EXPECT_EQ(*Base45Decode(Base45Encode(bytes)), bytes);
  }
}

TEST(Zlib, RoundTripsFallbackAndLimits) {
  std::string text = "Mekong health code " + std::string(500, 'x');
  EXPECT_EQ(*Inflate(Deflate(text), 1 << 20), text);
  EXPECT_EQ(*Inflate(DeflateRaw(text), 1 << 20), text);  // raw DEFLATE via the fallback
  EXPECT_EQ(*InflateRaw(DeflateRaw(text), 1 << 20), text);
  auto tc = ReadJson(std::string(MEKONG_TESTDATA) + "/eu-dcc/AT/2DCode/raw/1.json");
  EXPECT_EQ(HexEncode(*Inflate(Hex(tc["COMPRESSED"].get<std::string>()), 1 << 16)),
            tc["COSE"].get<std::string>());
  auto bomb = Inflate(Deflate(std::string(10 << 20, '\0')), 1 << 20);
  ASSERT_FALSE(bomb.ok());
  EXPECT_NE(bomb.status().message().find("exceeds"), std::string::npos);
  EXPECT_FALSE(Inflate("garbage!", 1 << 20).ok());
  std::string truncated = Deflate(text);
  EXPECT_FALSE(Inflate(truncated.substr(0, truncated.size() / 2), 1 << 20).ok());
}

}  // namespace
}  // namespace mekong::interop
