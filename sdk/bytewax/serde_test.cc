// File: sdk/bytewax/serde_test.cc

#include "sdk/bytewax/serde.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <list>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"

namespace user {

// Opts in with the qualified form shown in serde.h.
struct Point {
  int x = 0;
  std::string label;
  bool operator==(const Point& o) const { return x == o.x && label == o.label; }
  bool operator<(const Point& o) const { return x < o.x; }
};

// Opts in by reopening the namespace (bytewax::serde resolves to the
// versioned namespace, as for every SDK symbol).
struct Span {
  absl::Time start;
  absl::Duration length;
  bool operator==(const Span& o) const { return start == o.start && length == o.length; }
};

struct NotSerializable {
  int x = 0;
};

enum class Color : std::int16_t { kRed = -3, kGreen = 7 };
enum Plain { kA, kB = 1000 };

}  // namespace user

template <>
struct bytewax::serde::Serde<user::Point> {
  static void Encode(const user::Point& p, std::string* out) {
    EncodeTo(p.x, out);
    EncodeTo(p.label, out);
  }
  static bool Decode(absl::string_view* in, user::Point* p) {
    return DecodeFrom(in, &p->x) && DecodeFrom(in, &p->label);
  }
};

namespace bytewax {
namespace serde {
template <>
struct Serde<user::Span> {
  static void Encode(const user::Span& s, std::string* out) {
    EncodeTo(s.start, out);
    EncodeTo(s.length, out);
  }
  static bool Decode(absl::string_view* in, user::Span* s) {
    return DecodeFrom(in, &s->start) && DecodeFrom(in, &s->length);
  }
};
}  // namespace serde
}  // namespace bytewax

namespace {

namespace serde = bytewax::serde;
using serde::Deserialize;
using serde::IsSerializable;
using serde::Serialize;
using serde::TypeName;

absl::Time Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

// Values compare with ==, except floating point, which compares bits so
// that NaN and -0.0 count.
template <class T>
bool SameValue(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a) || std::isnan(b)) {
      return std::isnan(a) && std::isnan(b) && std::signbit(a) == std::signbit(b);
    }
    return a == b && std::signbit(a) == std::signbit(b);
  } else {
    return a == b;
  }
}

template <class T>
struct IsUnordered : std::false_type {};
template <class... A>
struct IsUnordered<std::unordered_map<A...>> : std::true_type {};
template <class... A>
struct IsUnordered<std::unordered_set<A...>> : std::true_type {};

// Round trip, plus: every strict prefix of the encoding is rejected (by
// Decode itself and by Deserialize), and so is a trailing byte.
template <class T>
void CheckRoundTrip(const T& v) {
  SCOPED_TRACE(TypeName<T>());
  const std::string bytes = Serialize(v);
  absl::StatusOr<T> back = Deserialize<T>(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(SameValue(*back, v));
  if constexpr (!IsUnordered<T>::value) {
    EXPECT_EQ(Serialize(*back), bytes);  // equal values, equal bytes
  }

  for (std::size_t i = 0; i < bytes.size(); ++i) {
    absl::string_view prefix(bytes.data(), i);
    T out{};
    absl::string_view in = prefix;
    EXPECT_FALSE(serde::Serde<T>::Decode(&in, &out)) << "prefix of " << i << " bytes";
    absl::StatusOr<T> r = Deserialize<T>(prefix);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  }

  absl::StatusOr<T> trailing = Deserialize<T>(bytes + "x");
  EXPECT_EQ(trailing.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(trailing.status().message().find("trailing"), absl::string_view::npos)
      << trailing.status();
}

template <class T>
void CheckRoundTripAll(std::initializer_list<T> values) {
  for (const T& v : values) CheckRoundTrip(v);
}

template <class T>
bool DecodeFails(absl::string_view bytes) {
  return !Deserialize<T>(bytes).ok();
}

// --- Built-in types --------------------------------------------------------

TEST(SerdeTest, Bool) { CheckRoundTripAll<bool>({true, false}); }

TEST(SerdeTest, OneByteIntegers) {
  CheckRoundTripAll<char>({'\0', 'a', '\xff'});
  CheckRoundTripAll<signed char>({-128, -1, 0, 127});
  CheckRoundTripAll<unsigned char>({0, 1, 255});
  CheckRoundTripAll<std::int8_t>({-128, 0, 127});
  CheckRoundTripAll<std::uint8_t>({0, 255});
}

TEST(SerdeTest, Integers) {
  CheckRoundTripAll<short>(
      {std::numeric_limits<short>::min(), -1, 0, 1, std::numeric_limits<short>::max()});
  CheckRoundTripAll<unsigned short>({0, 65535});
  CheckRoundTripAll<int>(
      {std::numeric_limits<int>::min(), -64, -63, 0, 63, 64, std::numeric_limits<int>::max()});
  CheckRoundTripAll<unsigned>({0, 127, 128, std::numeric_limits<unsigned>::max()});
  CheckRoundTripAll<long>({std::numeric_limits<long>::min(), std::numeric_limits<long>::max()});
  CheckRoundTripAll<std::int64_t>(
      {std::numeric_limits<std::int64_t>::min(), -1, 0, std::numeric_limits<std::int64_t>::max()});
  CheckRoundTripAll<std::uint64_t>({0, 1ull << 63, std::numeric_limits<std::uint64_t>::max()});
  CheckRoundTripAll<std::size_t>({0, 12345});
  CheckRoundTripAll<wchar_t>({L'a', L'\x10ffff'});
  CheckRoundTripAll<char16_t>({u'a', u'\xffff'});
  CheckRoundTripAll<char32_t>({U'a', U'\x10ffff'});
}

TEST(SerdeTest, Floating) {
  const double inf = std::numeric_limits<double>::infinity();
  CheckRoundTripAll<double>({0.0, -0.0, 1.0, -2.5, 0.1, 1e300, 5e-324, inf, -inf,
                             std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::lowest()});
  CheckRoundTripAll<float>({0.0f, -0.0f, 0.1f, 3.5f, std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::denorm_min(),
                            std::numeric_limits<float>::quiet_NaN()});
  using LD = long double;
  CheckRoundTripAll<LD>({LD(0), -LD(0), LD(1) / 3, -LD(1) / 7, LD(1e300) * LD(1e300),
                         std::numeric_limits<LD>::max(), std::numeric_limits<LD>::lowest(),
                         std::numeric_limits<LD>::min(), std::numeric_limits<LD>::denorm_min(),
                         std::numeric_limits<LD>::infinity(), -std::numeric_limits<LD>::infinity(),
                         std::numeric_limits<LD>::quiet_NaN()});
}

TEST(SerdeTest, Enums) {
  CheckRoundTripAll<user::Color>({user::Color::kRed, user::Color::kGreen});
  CheckRoundTripAll<user::Plain>({user::kA, user::kB});
}

TEST(SerdeTest, Strings) {
  CheckRoundTripAll<std::string>(
      {"", "a", std::string("\0x\0", 3), std::string(300, 'z'), "caf\xc3\xa9", "\xff\xfe"});
}

TEST(SerdeTest, Time) {
  CheckRoundTripAll<absl::Time>({
      absl::UnixEpoch(),
      Utc(2022, 1, 1),
      Utc(2022, 1, 1, 0, 0, 5) + absl::Nanoseconds(123456789),
      Utc(1969, 12, 31, 23, 59, 59) + absl::Nanoseconds(1),
      absl::UnixEpoch() - absl::Nanoseconds(1),
      Utc(1, 1, 1),
      Utc(9999, 12, 31, 23, 59, 59),
      absl::FromUnixSeconds(std::numeric_limits<std::int64_t>::max()) +
          absl::Nanoseconds(999999999),
      absl::FromUnixSeconds(std::numeric_limits<std::int64_t>::min()),
      absl::InfiniteFuture(),
      absl::InfinitePast(),
  });
}

TEST(SerdeTest, Duration) {
  CheckRoundTripAll<absl::Duration>({
      absl::ZeroDuration(),
      absl::Nanoseconds(1),
      absl::Nanoseconds(-1),
      absl::Seconds(10),
      absl::Milliseconds(-1500),
      absl::Hours(24 * 365 * 1000),
      absl::Seconds(std::numeric_limits<std::int64_t>::max()) + absl::Nanoseconds(999999999),
      absl::Seconds(std::numeric_limits<std::int64_t>::min()),
      absl::InfiniteDuration(),
      -absl::InfiniteDuration(),
  });
}

TEST(SerdeTest, Monostate) {
  CheckRoundTrip(std::monostate());
  EXPECT_EQ(Serialize(std::monostate()), "");
}

TEST(SerdeTest, Optional) {
  CheckRoundTripAll<std::optional<int>>({std::nullopt, 0, -5});
  CheckRoundTripAll<std::optional<std::string>>({std::nullopt, "", "s"});
  CheckRoundTripAll<std::optional<std::optional<bool>>>(
      {std::nullopt, std::optional<bool>(), std::optional<bool>(true)});
}

TEST(SerdeTest, PairAndTuple) {
  CheckRoundTrip(std::make_pair(std::string("key"), 42));
  CheckRoundTrip(std::tuple<>());
  CheckRoundTrip(std::make_tuple(1));
  CheckRoundTrip(std::make_tuple(1, 2.5, std::string("x"), true, absl::Seconds(3)));
}

TEST(SerdeTest, Variant) {
  using V = std::variant<std::monostate, int, std::string, std::vector<int>>;
  CheckRoundTripAll<V>({V(), V(5), V(std::string("s")), V(std::vector<int>{1, 2})});
  // Same alternative type twice: the index, not the type, is kept.
  using Twice = std::variant<int, int>;
  CheckRoundTrip(Twice(std::in_place_index<1>, 3));
  EXPECT_EQ(Deserialize<Twice>(Serialize(Twice(std::in_place_index<1>, 3)))->index(), 1u);
}

TEST(SerdeTest, Sequences) {
  CheckRoundTripAll<std::vector<int>>({{}, {1}, {1, 2, 3, -4}});
  CheckRoundTripAll<std::vector<bool>>({{}, {true, false, true}});
  CheckRoundTripAll<std::vector<std::monostate>>({{}, std::vector<std::monostate>(3)});
  CheckRoundTripAll<std::deque<std::string>>({{}, {"a", "bb"}});
  CheckRoundTripAll<std::list<double>>({{}, {0.5, -1}});
  CheckRoundTrip(std::array<int, 3>{1, -2, 3});
  CheckRoundTrip(std::array<int, 0>{});
  CheckRoundTrip(std::vector<std::vector<std::string>>{{}, {"x"}, {"y", "z"}});
}

TEST(SerdeTest, SetsAndMaps) {
  CheckRoundTripAll<std::set<int>>({{}, {3, 1, 2}});
  CheckRoundTripAll<std::set<std::string>>({{"b", "a"}});
  CheckRoundTripAll<std::map<std::string, int>>({{}, {{"a", 1}, {"b", -2}}});
  CheckRoundTrip(std::unordered_map<std::string, double>{{"x", 1.5}, {"y", 2}, {"z", -0.0}});
  CheckRoundTrip(std::unordered_set<std::int64_t>{1, 2, 3, 1000000});
  CheckRoundTrip(std::map<int, std::set<std::string>>{{1, {"a"}}, {2, {}}});
}

TEST(SerdeTest, Nested) {
  using Nested = std::map<std::string, std::vector<std::optional<std::pair<int, double>>>>;
  Nested v{{"a", {std::make_pair(1, 2.5), std::nullopt, std::make_pair(-3, 0.1)}},
           {"b", {}},
           {"c", {std::nullopt}}};
  CheckRoundTrip(v);
  CheckRoundTrip(std::vector<std::pair<std::string, std::map<std::string, absl::Time>>>{
      {"k", {{"t", Utc(2022, 1, 1)}}}});
}

TEST(SerdeTest, Protobuf) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(1640995200);
  ts.set_nanos(5);
  std::string bytes = Serialize(ts);
  absl::StatusOr<google::protobuf::Timestamp> back =
      Deserialize<google::protobuf::Timestamp>(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->seconds(), 1640995200);
  EXPECT_EQ(back->nanos(), 5);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    EXPECT_FALSE(Deserialize<google::protobuf::Timestamp>(bytes.substr(0, i)).ok());
  }
  EXPECT_FALSE(Deserialize<google::protobuf::Timestamp>(bytes + "x").ok());

  // An empty message still round-trips (length 0).
  EXPECT_EQ(Serialize(google::protobuf::Timestamp()), std::string(1, '\0'));
  EXPECT_TRUE(Deserialize<google::protobuf::Timestamp>(std::string(1, '\0')).ok());

  // Map fields serialize deterministically.
  google::protobuf::Struct s1;
  google::protobuf::Struct s2;
  for (int i = 0; i < 50; ++i) {
    (*s1.mutable_fields())["k" + std::to_string(i)].set_number_value(i);
    (*s2.mutable_fields())["k" + std::to_string(49 - i)].set_number_value(49 - i);
  }
  EXPECT_EQ(Serialize(s1), Serialize(s2));
  absl::StatusOr<google::protobuf::Struct> sback =
      Deserialize<google::protobuf::Struct>(Serialize(s1));
  ASSERT_TRUE(sback.ok());
  EXPECT_EQ(sback->fields().at("k7").number_value(), 7);

  // Inside containers too.
  std::vector<google::protobuf::Timestamp> many(2, ts);
  absl::StatusOr<std::vector<google::protobuf::Timestamp>> mback =
      Deserialize<std::vector<google::protobuf::Timestamp>>(Serialize(many));
  ASSERT_TRUE(mback.ok());
  EXPECT_EQ((*mback)[1].nanos(), 5);
}

TEST(SerdeTest, UserStructs) {
  CheckRoundTrip(user::Point{3, "three"});
  CheckRoundTrip(user::Span{Utc(2022, 1, 1), absl::Seconds(10)});
  CheckRoundTrip(std::map<std::string, std::vector<user::Point>>{{"a", {{1, "x"}, {-2, ""}}}});
  CheckRoundTrip(std::set<user::Point>{{1, "x"}, {2, "y"}});
}

TEST(SerdeTest, DeserializeIntoExisting) {
  std::vector<int> v{9, 9, 9};
  ASSERT_TRUE(Deserialize(Serialize(std::vector<int>{1}), &v).ok());
  EXPECT_EQ(v, std::vector<int>{1});
  std::map<std::string, int> m{{"old", 1}};
  ASSERT_TRUE(Deserialize(Serialize(std::map<std::string, int>{{"new", 2}}), &m).ok());
  EXPECT_EQ(m, (std::map<std::string, int>{{"new", 2}}));
}

// --- The wire format is fixed: these bytes must never change -------------

TEST(SerdeTest, GoldenBytes) {
  EXPECT_EQ(Serialize(true), std::string("\x01", 1));
  EXPECT_EQ(Serialize(0), std::string("\x00", 1));
  EXPECT_EQ(Serialize(1), "\x02");
  EXPECT_EQ(Serialize(-1), "\x01");
  EXPECT_EQ(Serialize(300u), "\xac\x02");
  EXPECT_EQ(Serialize(std::numeric_limits<std::uint64_t>::max()),
            "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");
  EXPECT_EQ(Serialize('A'), "A");
  EXPECT_EQ(Serialize(1.0), std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8));
  EXPECT_EQ(Serialize(1.0f), std::string("\x00\x00\x80\x3f", 4));
  EXPECT_EQ(Serialize(std::string("ab")),
            "\x02"
            "ab");
  EXPECT_EQ(Serialize(std::optional<int>()), std::string("\x00", 1));
  EXPECT_EQ(Serialize(std::optional<int>(1)), "\x01\x02");
  EXPECT_EQ(Serialize(std::vector<int>{1, 2}), "\x02\x02\x04");
  EXPECT_EQ(Serialize(std::map<std::string, int>{{"a", 1}}),
            "\x01\x01"
            "a\x02");
  EXPECT_EQ(Serialize(absl::UnixEpoch() + absl::Seconds(1) + absl::Nanoseconds(2)),
            std::string("\x00\x02\x02", 3));
  EXPECT_EQ(Serialize(absl::UnixEpoch() - absl::Nanoseconds(1)),
            std::string("\x00\x01\xff\x93\xeb\xdc\x03", 7));  // -1 s + 999999999 ns
  EXPECT_EQ(Serialize(absl::InfiniteFuture()), "\x01");
  EXPECT_EQ(Serialize(-absl::InfiniteDuration()), "\x02");
  EXPECT_EQ(Serialize(std::variant<int, std::string>(std::string("a"))),
            "\x01\x01"
            "a");
}

// --- Malformed input -------------------------------------------------------

TEST(SerdeTest, RejectsMalformed) {
  EXPECT_TRUE(DecodeFails<bool>("\x02"));
  EXPECT_TRUE(DecodeFails<std::optional<int>>("\x02\x02"));
  // Out of the target type's range.
  EXPECT_TRUE(DecodeFails<std::int32_t>(Serialize(std::int64_t{1} << 40)));
  EXPECT_TRUE(DecodeFails<std::int16_t>(Serialize(-40000)));
  EXPECT_TRUE(DecodeFails<std::uint16_t>(Serialize(70000u)));
  EXPECT_TRUE(DecodeFails<user::Color>(Serialize(std::int32_t{40000})));
  // Varints longer than 64 bits.
  EXPECT_TRUE(DecodeFails<std::uint64_t>("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02"));
  EXPECT_TRUE(DecodeFails<std::uint64_t>("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"));
  // Length beyond the input.
  EXPECT_TRUE(
      DecodeFails<std::string>("\x05"
                               "abc"));
  EXPECT_TRUE(DecodeFails<std::string>("\xff\xff\xff\xff\xff\xff\xff\xff\x7f"));
  EXPECT_TRUE(DecodeFails<std::vector<int>>("\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x02"));
  // Time: unknown tag, nanoseconds out of range.
  EXPECT_TRUE(DecodeFails<absl::Time>("\x03"));
  EXPECT_TRUE(DecodeFails<absl::Time>(std::string("\x00\x00\x80\x94\xeb\xdc\x03", 7)));
  EXPECT_TRUE(DecodeFails<absl::Duration>("\x07"));
  // Variant index out of range.
  EXPECT_TRUE((DecodeFails<std::variant<int, bool>>)("\x02\x00"));
  // Duplicate keys.
  EXPECT_TRUE(DecodeFails<std::set<int>>("\x02\x02\x02"));
  EXPECT_TRUE(DecodeFails<std::unordered_set<int>>("\x02\x02\x02"));
  EXPECT_TRUE((DecodeFails<std::map<int, int>>("\x02\x02\x00\x02\x00")));
  EXPECT_TRUE((DecodeFails<std::unordered_map<int, int>>("\x02\x02\x00\x02\x00")));
  // long double: unknown class bits, absurd exponent.
  EXPECT_TRUE(DecodeFails<long double>("\x04"));
  EXPECT_TRUE(DecodeFails<long double>(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10) +
                                       std::string(8, '\x80')));
  // Protobuf garbage.
  EXPECT_TRUE(DecodeFails<google::protobuf::Timestamp>("\x02\xff\xff"));
}

TEST(SerdeTest, ErrorMessagesNameTheType) {
  absl::Status s = Deserialize<std::vector<int>>("\x03\x02").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(s.message(),
            "cannot decode `std::vector<int>` from 2 bytes: malformed or truncated input");
  s = Deserialize<std::map<std::string, int>>(std::string("\x00\x00", 2)).status();
  EXPECT_EQ(s.message(),
            "decoding `std::map<std::string, int>` from 2 bytes left 1 trailing bytes");
}

// Random bytes must never crash any decoder (run under sanitizers in CI).
TEST(SerdeTest, GarbageNeverCrashes) {
  std::mt19937 rng(12345);
  using Nested = std::map<std::string, std::vector<std::optional<std::pair<int, double>>>>;
  using Mixed = std::tuple<std::variant<std::monostate, absl::Time, std::set<std::string>>,
                           std::unordered_map<std::int64_t, absl::Duration>, long double,
                           std::deque<user::Point>>;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(rng() % 24, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 4 == 0 ? rng() % 4 : rng());
    (void)Deserialize<Nested>(bytes);
    (void)Deserialize<Mixed>(bytes);
    (void)Deserialize<google::protobuf::Struct>(bytes);
  }
}

// --- Traits and names -----------------------------------------------------

TEST(SerdeTest, IsSerializable) {
  static_assert(IsSerializable<int>::value);
  static_assert(IsSerializable<const int>::value);
  static_assert(IsSerializable<bool>::value);
  static_assert(IsSerializable<long double>::value);
  static_assert(IsSerializable<std::string>::value);
  static_assert(IsSerializable<absl::Time>::value);
  static_assert(IsSerializable<absl::Duration>::value);
  static_assert(IsSerializable<std::monostate>::value);
  static_assert(IsSerializable<user::Color>::value);
  static_assert(IsSerializable<user::Point>::value);
  static_assert(IsSerializable<std::vector<user::Point>>::value);
  static_assert(IsSerializable<google::protobuf::Struct>::value);
  static_assert(IsSerializable<std::tuple<>>::value);
  static_assert(IsSerializable<
                std::map<std::string, std::vector<std::optional<std::pair<int, double>>>>>::value);
  static_assert(serde::kIsSerializable<std::unordered_map<std::string, std::set<int>>>);

  static_assert(!IsSerializable<user::NotSerializable>::value);
  static_assert(!IsSerializable<std::vector<user::NotSerializable>>::value);
  static_assert(!IsSerializable<std::deque<user::NotSerializable>>::value);
  static_assert(!IsSerializable<std::list<user::NotSerializable>>::value);
  static_assert(!IsSerializable<std::array<user::NotSerializable, 2>>::value);
  static_assert(!IsSerializable<std::optional<user::NotSerializable>>::value);
  static_assert(!IsSerializable<std::pair<int, user::NotSerializable>>::value);
  static_assert(!IsSerializable<std::tuple<int, user::NotSerializable>>::value);
  static_assert(!IsSerializable<std::variant<int, user::NotSerializable>>::value);
  static_assert(!IsSerializable<std::map<std::string, user::NotSerializable>>::value);
  static_assert(!IsSerializable<std::unordered_map<int, user::NotSerializable>>::value);
  static_assert(!IsSerializable<std::set<std::vector<user::NotSerializable>>>::value);
  static_assert(!IsSerializable<
                std::map<std::string, std::vector<std::optional<user::NotSerializable>>>>::value);
  static_assert(!IsSerializable<const char*>::value);
  static_assert(!IsSerializable<absl::string_view>::value);
  static_assert(!IsSerializable<int*>::value);
}

TEST(SerdeTest, TypeName) {
  EXPECT_EQ(TypeName<int>(), "int");
  EXPECT_EQ(TypeName<std::string>(), "std::string");
  EXPECT_EQ(TypeName<std::vector<int>>(), "std::vector<int>");
  EXPECT_EQ((TypeName<std::map<std::string, std::vector<std::string>>>()),
            "std::map<std::string, std::vector<std::string>>");
  EXPECT_EQ((TypeName<std::unordered_map<std::string, std::set<int>>>()),
            "std::unordered_map<std::string, std::set<int>>");
  EXPECT_EQ(TypeName<absl::Time>(), "absl::Time");
  EXPECT_EQ(TypeName<std::optional<absl::Duration>>(), "std::optional<absl::Duration>");
  EXPECT_EQ(TypeName<user::NotSerializable>(), "user::NotSerializable");
  EXPECT_EQ((TypeName<std::pair<int, user::Point>>()), "std::pair<int, user::Point>");
}

}  // namespace
