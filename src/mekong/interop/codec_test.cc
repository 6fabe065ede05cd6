#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
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

nlohmann::json EuTestCase() {
  return ReadJson(std::string(MEKONG_TESTDATA) + "/eu-dcc/AT/2DCode/raw/1.json");
}

// Decoding fails, with InvalidArgument (not a crash, not another code).
void ExpectRejected(std::string_view bytes, const std::string& what) {
  auto v = DecodeCbor(bytes);
  ASSERT_FALSE(v.ok()) << what;
  EXPECT_EQ(v.status().code(), Code::kInvalidArgument) << what;
}

// CBOR is prefix-free: no proper prefix of one item is an item.
void ExpectEveryPrefixRejected(const std::string& bytes, const std::string& what) {
  for (size_t n = 0; n < bytes.size(); ++n) {
    ExpectRejected(bytes.substr(0, n), what + " cut at " + std::to_string(n));
  }
}

Cbor Ints(std::initializer_list<int64_t> v) {
  std::vector<Cbor> items;
  for (int64_t i : v) items.push_back(Cbor::Int(i));
  return Cbor::Array(std::move(items));
}

Cbor OneTo25() {
  std::vector<Cbor> items;
  for (int i = 1; i <= 25; ++i) items.push_back(Cbor::Int(i));
  return Cbor::Array(std::move(items));
}

// RFC 8949 Appendix A: every definite-length example in the int64 range decodes to its value
// and encodes back to the same bytes.
TEST(Cbor, Rfc8949DefiniteExamples) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  struct Case {
    const char* hex;
    Cbor value;
  } cases[] = {
      {"00", Cbor::Int(0)},
      {"01", Cbor::Int(1)},
      {"0a", Cbor::Int(10)},
      {"17", Cbor::Int(23)},
      {"1818", Cbor::Int(24)},
      {"1819", Cbor::Int(25)},
      {"1864", Cbor::Int(100)},
      {"1903e8", Cbor::Int(1000)},
      {"1a000f4240", Cbor::Int(1000000)},
      {"1b000000e8d4a51000", Cbor::Int(1000000000000)},
      {"1b7fffffffffffffff", Cbor::Int(std::numeric_limits<int64_t>::max())},
      {"20", Cbor::Int(-1)},
      {"29", Cbor::Int(-10)},
      {"3863", Cbor::Int(-100)},
      {"3903e7", Cbor::Int(-1000)},
      {"3b7fffffffffffffff", Cbor::Int(std::numeric_limits<int64_t>::min())},
      {"f90000", Cbor::Float(0.0)},
      {"f98000", Cbor::Float(-0.0)},
      {"f93c00", Cbor::Float(1.0)},
      {"fb3ff199999999999a", Cbor::Float(1.1)},
      {"f93e00", Cbor::Float(1.5)},
      {"f97bff", Cbor::Float(65504.0)},
      {"fa47c35000", Cbor::Float(100000.0)},
      {"fa7f7fffff", Cbor::Float(3.4028234663852886e+38)},
      {"fb7e37e43c8800759c", Cbor::Float(1.0e+300)},
      {"f90001", Cbor::Float(5.960464477539063e-8)},
      {"f90400", Cbor::Float(0.00006103515625)},
      {"f9c400", Cbor::Float(-4.0)},
      {"fbc010666666666666", Cbor::Float(-4.1)},
      {"f97c00", Cbor::Float(kInf)},
      {"f97e00", Cbor::Float(std::nan(""))},
      {"f9fc00", Cbor::Float(-kInf)},
      {"f4", Cbor::Bool(false)},
      {"f5", Cbor::Bool(true)},
      {"f6", Cbor::Null()},
      {"f7", Cbor::Undefined()},
      {"c074323031332d30332d32315432303a30343a30305a",
       Cbor::Tag(0, Cbor::Text("2013-03-21T20:04:00Z"))},
      {"c11a514b67b0", Cbor::Tag(1, Cbor::Int(1363896240))},
      {"c1fb41d452d9ec200000", Cbor::Tag(1, Cbor::Float(1363896240.5))},
      {"d74401020304", Cbor::Tag(23, Cbor::Bytes(Hex("01020304")))},
      {"d818456449455446", Cbor::Tag(24, Cbor::Bytes(Hex("6449455446")))},
      {"d82076687474703a2f2f7777772e6578616d706c652e636f6d",
       Cbor::Tag(32, Cbor::Text("http://www.example.com"))},
      {"40", Cbor::Bytes("")},
      {"4401020304", Cbor::Bytes(Hex("01020304"))},
      {"60", Cbor::Text("")},
      {"6161", Cbor::Text("a")},
      {"6449455446", Cbor::Text("IETF")},
      {"62225c", Cbor::Text("\"\\")},
      {"62c3bc", Cbor::Text("\u00fc")},
      {"63e6b0b4", Cbor::Text("\u6c34")},
      {"64f0908591", Cbor::Text("\U00010151")},
      {"80", Cbor::Array({})},
      {"83010203", Ints({1, 2, 3})},
      {"8301820203820405", Cbor::Array({Cbor::Int(1), Ints({2, 3}), Ints({4, 5})})},
      {"98190102030405060708090a0b0c0d0e0f101112131415161718181819", OneTo25()},
      {"a0", Cbor::Map({})},
      {"a201020304", Cbor::Map({{Cbor::Int(1), Cbor::Int(2)}, {Cbor::Int(3), Cbor::Int(4)}})},
      {"a26161016162820203",
       Cbor::Map({{Cbor::Text("a"), Cbor::Int(1)}, {Cbor::Text("b"), Ints({2, 3})}})},
      {"826161a161626163",
       Cbor::Array({Cbor::Text("a"), Cbor::Map({{Cbor::Text("b"), Cbor::Text("c")}})})},
      {"a56161614161626142616361436164614461656145",
       Cbor::Map({{Cbor::Text("a"), Cbor::Text("A")},
                  {Cbor::Text("b"), Cbor::Text("B")},
                  {Cbor::Text("c"), Cbor::Text("C")},
                  {Cbor::Text("d"), Cbor::Text("D")},
                  {Cbor::Text("e"), Cbor::Text("E")}})},
  };
  for (const auto& c : cases) {
    auto v = DecodeCbor(Hex(c.hex));
    ASSERT_TRUE(v.ok()) << c.hex << ": " << v.status().ToString();
    EXPECT_EQ(*v, c.value) << c.hex;
    EXPECT_EQ(HexEncode(EncodeCbor(c.value)), c.hex);
    ExpectEveryPrefixRejected(Hex(c.hex), c.hex);
  }
  // Sign and kind survive: -0.0 is not 0.0 on the wire, and an integral float is not an int.
  EXPECT_TRUE(std::signbit(DecodeCbor(Hex("f98000"))->float_value()));
  EXPECT_EQ(DecodeCbor(Hex("f93c00"))->kind(), Cbor::Kind::kFloat);
  EXPECT_EQ(DecodeCbor(Hex("c11a514b67b0"))->tagged().int_value(), 1363896240);
}

// Appendix A's indefinite-length examples decode to the same value as their definite twins,
// and encode as the definite one.
TEST(Cbor, Rfc8949IndefiniteExamples) {
  struct Case {
    const char* indefinite;
    const char* definite;
  } cases[] = {
      {"5f42010243030405ff", "450102030405"},
      {"7f657374726561646d696e67ff", "6973747265616d696e67"},
      {"9fff", "80"},
      {"9f018202039f0405ffff", "8301820203820405"},
      {"9f01820203820405ff", "8301820203820405"},
      {"83018202039f0405ff", "8301820203820405"},
      {"83019f0203ff820405", "8301820203820405"},
      {"9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
       "98190102030405060708090a0b0c0d0e0f101112131415161718181819"},
      {"bf61610161629f0203ffff", "a26161016162820203"},
      {"826161bf61626163ff", "826161a161626163"},
      {"bf6346756ef563416d7421ff", "a26346756ef563416d7421"},
  };
  for (const auto& c : cases) {
    auto v = DecodeCbor(Hex(c.indefinite));
    ASSERT_TRUE(v.ok()) << c.indefinite << ": " << v.status().ToString();
    EXPECT_EQ(*v, *DecodeCbor(Hex(c.definite))) << c.indefinite;
    EXPECT_EQ(HexEncode(EncodeCbor(*v)), c.definite);
    ExpectEveryPrefixRejected(Hex(c.indefinite), c.indefinite);
  }
  auto m = DecodeCbor(Hex("bf61610161629f0203ffff"));
  EXPECT_EQ(m->Find("a")->int_value(), 1);
  EXPECT_EQ(*m->Find("b"), Ints({2, 3}));
}

TEST(Cbor, RoundTripsEveryKind) {
  Cbor v = Cbor::Map({
      {Cbor::Int(1), Cbor::Text("VN")},
      {Cbor::Int(-260),
       Cbor::Map({{Cbor::Int(1), Cbor::Map({{Cbor::Text("ver"), Cbor::Text("1")}})}})},
      {Cbor::Text("bytes"), Cbor::Bytes(std::string("\0\x01\xff", 3))},
      {Cbor::Text("ints"), Ints({0, 23, 24, 255, 256, 65535, 65536, 4294967295, 4294967296, -24,
                                 -25, -256, -257, std::numeric_limits<int64_t>::min()})},
      {Cbor::Text("floats"), Cbor::Array({Cbor::Float(0.5), Cbor::Float(1e-40), Cbor::Float(0.1),
                                          Cbor::Float(-65505.0), Cbor::Float(1e-7)})},
      {Cbor::Array({}), Cbor::Tag(18, Cbor::Tag(uint64_t{1} << 63, Cbor::Undefined()))},
      {Cbor::Bool(true), Cbor::Null()},
      {Cbor::Text(std::string(300, 'x')), Cbor::Bytes(std::string(70000, '\x07'))},
  });
  auto back = DecodeCbor(EncodeCbor(v));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, v);
  EXPECT_NE(*back, Cbor::Map({}));
}

TEST(Cbor, AccessorsAndLookup) {
  Cbor m = Cbor::Map({{Cbor::Int(4), Cbor::Int(1620000000)},
                      {Cbor::Text("4"), Cbor::Text("text key")},
                      {Cbor::Int(4), Cbor::Int(0)}});
  EXPECT_EQ(m.Find(4)->int_value(), 1620000000);  // the first of duplicate keys
  EXPECT_EQ(m.Find("4")->bytes(), "text key");
  EXPECT_EQ(m.Find(5), nullptr);
  EXPECT_EQ(m.Find("x"), nullptr);
  EXPECT_EQ(Cbor::Int(4).Find(4), nullptr);
  EXPECT_EQ(Ints({4}).Find(0), nullptr);
  // Accessors of the wrong kind are harmless.
  EXPECT_EQ(Cbor::Int(1).tagged(), Cbor::Null());
  EXPECT_TRUE(Cbor::Tag(1, Cbor::Int(2)).array().empty());
  EXPECT_TRUE(Cbor::Text("x").map().empty());

  EXPECT_EQ(Cbor::Int(1620000000).AsSeconds(), 1620000000);
  EXPECT_EQ(Cbor::Float(1620000000.0).AsSeconds(), 1620000000);
  EXPECT_EQ(Cbor::Float(1620000000.75).AsSeconds(), 1620000000);
  EXPECT_EQ(Cbor::Float(std::nan("")).AsSeconds(), std::nullopt);
  EXPECT_EQ(Cbor::Float(1e300).AsSeconds(), std::nullopt);
  EXPECT_EQ(Cbor::Text("1620000000").AsSeconds(), std::nullopt);
}

TEST(Cbor, PrefixDecodingWalksASequence) {
  std::string seq =
      Hex("01"
          "6161"
          "a0"
          "9f01ff");
  std::vector<Cbor> items;
  for (std::string_view rest = seq; !rest.empty();) {
    size_t consumed = 0;
    auto v = DecodeCborPrefix(rest, &consumed);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    ASSERT_GT(consumed, 0u);
    items.push_back(*v);
    rest.remove_prefix(consumed);
  }
  EXPECT_EQ(Cbor::Array(items),
            Cbor::Array({Cbor::Int(1), Cbor::Text("a"), Cbor::Map({}), Ints({1})}));
  size_t consumed = 99;
  EXPECT_FALSE(DecodeCborPrefix(Hex("82"), &consumed).ok());
  EXPECT_EQ(consumed, 99u);
  ExpectRejected(seq, "a sequence is not one item");
}

TEST(Cbor, HostileInputFailsCleanly) {
  // Nesting: 32 containers are fine, 33 are not, and 1000 neither crash nor recurse 1000 deep.
  EXPECT_TRUE(DecodeCbor(std::string(32, '\x81') + '\x01').ok());
  ExpectRejected(std::string(33, '\x81') + '\x01', "33 nested arrays");
  ExpectRejected(std::string(1000, '\x81') + '\x01', "1000 nested arrays");
  ExpectRejected(std::string(1000, '\x9f'), "1000 nested indefinite arrays");
  ExpectRejected(std::string(1000, '\xa1') + '\x01', "1000 nested maps");
  ExpectRejected(std::string(1000, '\xc1') + '\x01', "1000 nested tags");
  // Lengths far beyond the input are refused before anything is allocated.
  for (const char* hex : {"5b4000000000000000", "7b4000000000000000", "9b4000000000000000",
                          "bb4000000000000000", "5bffffffffffffffff", "9bffffffffffffffff",
                          "5f5b4000000000000000ff", "5a7fffffff00", "9a7fffffff00"}) {
    ExpectRejected(Hex(hex), hex);
  }
  ExpectRejected(Hex("0000"), "trailing byte");
  ExpectRejected(Hex("a0ff"), "trailing break");
  ExpectRejected(Hex("ff"), "lone break");
  ExpectRejected(Hex("81ff"), "break in a definite array");
  ExpectRejected(Hex("bf6161ff"), "break where a map value belongs");
  for (const char* hex : {"1c", "1d", "1e", "3c", "5c", "7c", "9c", "bc", "dc", "fc", "fd", "fe"}) {
    ExpectRejected(Hex(hex), std::string("reserved additional information ") + hex);
  }
  ExpectRejected(Hex("1f"), "indefinite unsigned");
  ExpectRejected(Hex("3f"), "indefinite negative");
  ExpectRejected(Hex("df01"), "indefinite tag");
  ExpectRejected(Hex("5f5f4101ffff"), "nested indefinite chunk");
  ExpectRejected(Hex("5f6161ff"), "text chunk in a byte string");
  ExpectRejected(Hex("7f4161ff"), "byte chunk in a text string");
  ExpectRejected(Hex("5f01ff"), "integer chunk");
  for (const char* hex : {"e0", "f3", "f820", "f8ff"}) ExpectRejected(Hex(hex), hex);
  ExpectRejected(Hex("1b8000000000000000"), "2^63");
  ExpectRejected(Hex("1bffffffffffffffff"), "2^64 - 1");
  ExpectRejected(Hex("3b8000000000000000"), "-2^63 - 1");
  ExpectRejected(Hex("3bffffffffffffffff"), "-2^64");
  ExpectRejected("", "empty input");
}

// Whatever random bytes decode to must survive encoding; nothing may crash.
TEST(Cbor, RandomBytesDecodeOrFailCleanly) {
  std::mt19937 rng(42);
  int decoded = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string bytes(rng() % 24, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng() % 4 == 0 ? 0x80 | rng() % 64 : rng());
    auto v = DecodeCbor(bytes);
    if (!v.ok()) {
      EXPECT_EQ(v.status().code(), Code::kInvalidArgument);
      continue;
    }
    ++decoded;
    EXPECT_EQ(*DecodeCbor(EncodeCbor(*v)), *v);
    EXPECT_TRUE(CborToJson(*v).ok());
  }
  EXPECT_GT(decoded, 100);
}

TEST(Cbor, ToJson) {
  Cbor v = Cbor::Map({
      {Cbor::Int(-260), Cbor::Bytes(Hex("01020304"))},
      {Cbor::Text("t"), Cbor::Tag(1, Cbor::Int(5))},
      {Cbor::Text("f"), Cbor::Array({Cbor::Float(1.5), Cbor::Float(INFINITY), Cbor::Undefined()})},
      {Cbor::Text("n"), Cbor::Array({Cbor::Null(), Cbor::Bool(false), Cbor::Float(0.1)})},
  });
  auto json = CborToJson(v);
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(nlohmann::json::parse(*json), nlohmann::json::parse(R"({
      "-260": "AQIDBA", "t": 5, "f": [1.5, null, null], "n": [null, false, 0.1]})"));
  Cbor deep = Cbor::Int(0);
  for (int i = 0; i < 40; ++i) deep = Cbor::Array({deep});
  EXPECT_EQ(CborToJson(deep).status().code(), Code::kInvalidArgument);
}

TEST(Cbor, FromJson) {
  auto v = JsonToCbor(R"({"b": [1, -2, 1.5, "x", true, null, 18446744073709551615], "a": {}})");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(
      *v, Cbor::Map({{Cbor::Text("a"), Cbor::Map({})},
                     {Cbor::Text("b"), Cbor::Array({Cbor::Int(1), Cbor::Int(-2), Cbor::Float(1.5),
                                                    Cbor::Text("x"), Cbor::Bool(true), Cbor::Null(),
                                                    Cbor::Float(18446744073709551615.0)})}}));
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "nul", "1 2"}) {
    EXPECT_EQ(JsonToCbor(bad).status().code(), Code::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(JsonToCbor(std::string(32, '[') + std::string(32, ']')).ok());
  EXPECT_FALSE(JsonToCbor(std::string(34, '[') + std::string(34, ']')).ok());
  EXPECT_FALSE(JsonToCbor(std::string(100000, '[') + std::string(100000, ']')).ok());
}

TEST(Cbor, RealEuCertificateMatchesItsJson) {
  auto tc = EuTestCase();
  std::string cbor = Hex(tc["CBOR"].get<std::string>());
  ASSERT_EQ(static_cast<uint8_t>(cbor[0]), 0xbf);  // an indefinite-length map
  auto v = DecodeCbor(cbor);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  auto json = CborToJson(*v);
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(nlohmann::json::parse(*json), tc["JSON"]);
  ExpectEveryPrefixRejected(cbor, "EU DCC payload");
  // JSON -> CBOR -> JSON is stable, and the definite re-encoding decodes to the same value.
  auto again = JsonToCbor(*json);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(nlohmann::json::parse(*CborToJson(*again)), tc["JSON"]);
  EXPECT_EQ(*DecodeCbor(EncodeCbor(*v)), *v);
  // The signed COSE_Sign1 around it: tag 18 on an array of 4.
  auto cose = DecodeCbor(Hex(tc["COSE"].get<std::string>()));
  ASSERT_TRUE(cose.ok()) << cose.status().ToString();
  EXPECT_EQ(cose->tag(), 18u);
  EXPECT_EQ(cose->tagged().array().size(), 4u);
}

// Found by fuzz_cbor: a map key that is neither text nor an integer, holding invalid UTF-8,
// made CborToJson throw from inside the JSON library.
TEST(Cbor, NonTextKeysWithInvalidUtf8ConvertToJson) {
  Cbor m = Cbor::Map({{Cbor::Array({Cbor::Text("\xff\xfe")}), Cbor::Int(1)},
                      {Cbor::Text("\xc3"), Cbor::Text("\xff")}});
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
  EXPECT_EQ(Base45Encode(""), "");
  EXPECT_EQ(*Base45Decode("BB8"), "AB");
  EXPECT_EQ(*Base45Decode("%69 VD92EX0"), "Hello!!");
  EXPECT_EQ(*Base45Decode("UJCLQE7W581"), "base-45");
  EXPECT_EQ(*Base45Decode("QED8WEX0"), "ietf!");
  EXPECT_EQ(*Base45Decode(""), "");
  EXPECT_EQ(*Base45Decode("FGW"), "\xff\xff");  // 65535, the largest triple
  EXPECT_EQ(*Base45Decode("U5"), "\xff");       // 255, the largest pair
}

TEST(Base45, RejectsBadText) {
  for (const char* bad : {"GGW",                                    // 65536
                          ":::",                                    // 91124
                          "V5", "::",                               // pairs above 255
                          "A", "BB8A",                              // a lone trailing character
                          "ab", "BB8\n", "BB_", "\xc3\xa9\x41"}) {  // outside the alphabet
    auto r = Base45Decode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << bad;
  }
}

TEST(Base45, RandomBytesRoundTrip) {
  std::mt19937 rng(7);
  for (size_t n = 0; n <= 100; ++n) {
    std::string bytes(n, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    std::string text = Base45Encode(bytes);
    EXPECT_EQ(text.size(), n / 2 * 3 + n % 2 * 2);
    EXPECT_EQ(*Base45Decode(text), bytes) << n;
  }
}

TEST(Zlib, RoundTripsAtEveryLevel) {
  std::string text = "Mekong health code " + std::string(500, 'x');
  for (int level : {-1, 0, 1, 6, 9, 42}) {
    std::string z = Deflate(text, level);
    EXPECT_EQ(static_cast<uint8_t>(z[0]), 0x78) << level;
    EXPECT_EQ(*Inflate(z, 1 << 20), text) << level;
  }
  EXPECT_EQ(*Inflate(Deflate(""), 16), "");
  EXPECT_EQ(*InflateRaw(DeflateRaw(text), 1 << 20), text);
  EXPECT_FALSE(InflateRaw(Deflate(text), 1 << 20).ok());  // a zlib header is not raw DEFLATE
}

TEST(Zlib, RawDeflateFallback) {
  std::string text = R"({"iss":"https://smarthealth.cards/examples/issuer","nbf":1620847989})";
  std::string raw = DeflateRaw(text);
  EXPECT_NE(static_cast<uint8_t>(raw[0]), 0x78);
  EXPECT_EQ(*Inflate(raw, 1 << 20), text);
}

TEST(Zlib, StrictZlibRefusesRawDeflateAndBadHeaders) {
  std::string text = "Mekong health code " + std::string(500, 'x');
  EXPECT_EQ(*InflateZlib(Deflate(text), 1 << 20), text);
  EXPECT_TRUE(IsZlibHeader(Deflate(text)));
  // Raw DEFLATE, which Inflate accepts, is not a zlib stream.
  auto raw = InflateZlib(DeflateRaw(text), 1 << 20);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.status().message().rfind("not a zlib stream (header ", 0), 0u)
      << raw.status().message();
  EXPECT_FALSE(IsZlibHeader(DeflateRaw(text)));
  // 0x78 with a failing FCHECK, a 64 KiB window, another method, too short.
  for (std::string_view bad :
       {std::string_view("\x78\x00\x01", 3), std::string_view("\x88\x1d", 2),
        std::string_view("\x79\x9c", 2), std::string_view("\x78", 1), std::string_view()}) {
    EXPECT_FALSE(IsZlibHeader(bad)) << HexEncode(bad);
    EXPECT_FALSE(InflateZlib(bad, 1 << 20).ok()) << HexEncode(bad);
  }
  // Every valid header, not just 0x78: an 8 KiB window (0x58 0x09), with zlib's own checks.
  EXPECT_TRUE(IsZlibHeader("\x58\x09"));
  std::string z = Deflate(text);
  std::string small_window = "\x58\x09" + z.substr(2);
  EXPECT_EQ(*InflateZlib(small_window, 1 << 20), text);
  std::string corrupt = z;
  corrupt.back() ^= 1;
  EXPECT_FALSE(InflateZlib(corrupt, 1 << 20).ok());
  EXPECT_FALSE(InflateZlib(Deflate(std::string(10 << 20, '\0')), 1 << 20).ok());
}

TEST(Zlib, RealEuCertificateInflatesToItsCose) {
  auto tc = EuTestCase();
  auto cose = Inflate(Hex(tc["COMPRESSED"].get<std::string>()), 1 << 16);
  ASSERT_TRUE(cose.ok()) << cose.status().ToString();
  EXPECT_EQ(HexEncode(*cose), tc["COSE"].get<std::string>());
}

TEST(Zlib, LimitsAndGarbage) {
  auto bomb = Inflate(Deflate(std::string(10 << 20, '\0')), 1 << 20);
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(bomb.status().message(), "decompressed size exceeds 1048576 bytes");
  std::string exact = Deflate(std::string(1000, 'a'));
  EXPECT_TRUE(Inflate(exact, 1000).ok());
  EXPECT_FALSE(Inflate(exact, 999).ok());

  std::string text = "Mekong health code " + std::string(500, 'x');
  std::string z = Deflate(text);
  for (size_t n = 0; n < z.size(); ++n) {
    EXPECT_FALSE(Inflate(z.substr(0, n), 1 << 20).ok()) << "cut at " << n;
  }
  std::string corrupt = z;
  corrupt[corrupt.size() - 1] ^= 1;  // the checksum
  EXPECT_FALSE(Inflate(corrupt, 1 << 20).ok());
  for (std::string_view bad : {"garbage!", "\x78\x9c garbage", "\xff\xff\xff\xff"}) {
    auto r = Inflate(bad, 1 << 20);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  }
}

}  // namespace
}  // namespace mekong::interop
