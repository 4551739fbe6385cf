// File: sdk/bytewax/internal/state_envelope_test.cc

#include "sdk/bytewax/internal/state_envelope.h"

#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/internal/state_envelope.pb.h"

namespace {

using bytewax::internal::kStateFormatVersion;
using bytewax::internal::UnwrapState;
using bytewax::internal::WrapState;

std::string Envelope(std::uint32_t version, const std::string& type_name,
                     const std::string& payload) {
  bytewax_internal::StateEnvelope e;
  e.set_format_version(version);
  e.set_type_name(type_name);
  e.set_payload(payload);
  return e.SerializeAsString();
}

TEST(StateEnvelopeTest, RoundTrip) {
  const std::string payload("\x00\x01state\xff", 8);
  absl::StatusOr<std::string> back =
      UnwrapState(WrapState("std::map<std::string, int>", payload), "std::map<std::string, int>");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, payload);
}

TEST(StateEnvelopeTest, EmptyPayload) {
  absl::StatusOr<std::string> back = UnwrapState(WrapState("std::monostate", ""), "std::monostate");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, "");
}

TEST(StateEnvelopeTest, LargePayload) {
  const std::string payload(1 << 20, 'x');
  absl::StatusOr<std::string> back = UnwrapState(WrapState("T", payload), "T");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, payload);
}

// The bytes on disk must not change for version 1.
TEST(StateEnvelopeTest, GoldenBytes) {
  EXPECT_EQ(WrapState("T", "p"), "\x0a\x01T\x12\x01p\x18\x01");
  EXPECT_EQ(kStateFormatVersion, 1u);
}

TEST(StateEnvelopeTest, RejectsEmptyInput) {
  absl::StatusOr<std::string> r = UnwrapState("", "int");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(r.status().message(),
            "state snapshot is corrupt: 0 bytes without a format version are "
            "not a bytewax state envelope");
}

TEST(StateEnvelopeTest, RejectsGarbage) {
  for (const std::string& garbage : {std::string("\xff\xff\xff"), std::string("hello"),
                                     std::string("\x12\x05"
                                                 "ab",
                                                 4),
                                     std::string("\x18", 1)}) {
    absl::StatusOr<std::string> r = UnwrapState(garbage, "int");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
    EXPECT_NE(r.status().message().find("not a bytewax state envelope"), absl::string_view::npos);
  }
  absl::StatusOr<std::string> r = UnwrapState("\xff\xff\xff", "int");
  EXPECT_EQ(r.status().message(),
            "state snapshot is corrupt: 3 bytes that are not a bytewax state envelope");
}

TEST(StateEnvelopeTest, RejectsMissingVersion) {
  absl::StatusOr<std::string> r = UnwrapState(Envelope(0, "int", "\x02"), "int");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find("without a format version"), absl::string_view::npos);
}

TEST(StateEnvelopeTest, RejectsNewerVersion) {
  absl::StatusOr<std::string> r = UnwrapState(Envelope(2, "int", "\x02"), "int");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().message(),
            "state snapshot format version 2 is newer than this build supports; "
            "this build reads version 1");
  r = UnwrapState(Envelope(4000000000u, "int", ""), "int");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("version 4000000000"), absl::string_view::npos);
}

TEST(StateEnvelopeTest, RejectsTypeMismatch) {
  absl::StatusOr<std::string> r =
      UnwrapState(WrapState("std::vector<int>", "\x00"), "std::vector<long>");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().message(),
            "state snapshot holds state of type `std::vector<int>` but this "
            "step's state type is `std::vector<long>`; the dataflow changed "
            "since the snapshot was taken");
}

// Fields added by later builds (without a version bump) are ignored.
TEST(StateEnvelopeTest, IgnoresUnknownFields) {
  absl::StatusOr<std::string> r = UnwrapState(WrapState("T", "p") + "\x20\x05", "T");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, "p");
}

TEST(StateEnvelopeTest, TruncatedEnvelopesFail) {
  const std::string full = WrapState("std::string", "payload bytes");
  for (std::size_t i = 0; i < full.size(); ++i) {
    EXPECT_FALSE(UnwrapState(full.substr(0, i), "std::string").ok()) << i;
  }
}

TEST(StateEnvelopeTest, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(rng() % 32, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    EXPECT_FALSE(UnwrapState(bytes, "some::Type").ok());
  }
}

}  // namespace
