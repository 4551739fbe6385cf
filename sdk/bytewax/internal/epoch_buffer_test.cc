#include "sdk/bytewax/internal/epoch_buffer.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/internal/channel.h"

namespace bytewax::internal {
namespace {

// Records what ProcessReady hands over, in order: "item:E:V" and "done:E".
class Recorder {
 public:
  void Process(EpochBuffer<int>* buffer, LocalChannel<int>* channel) {
    buffer->Pull(channel);
    buffer->ProcessReady(
        [this](Bundle<int>& b) {
          for (int v : b.items) events_.push_back(absl::StrCat("item:", b.epoch, ":", v));
        },
        [this](Epoch e) { events_.push_back(absl::StrCat("done:", e)); });
  }
  std::vector<std::string> Take() { return std::exchange(events_, {}); }

 private:
  std::vector<std::string> events_;
};

void Send(LocalChannel<int>* channel, Epoch epoch, std::vector<int> items) {
  Bundle<int> b;
  b.epoch = epoch;
  b.items = std::move(items);
  channel->Push(std::move(b));
}

TEST(EpochBuffer, CurrentEpochIsProcessedEagerlyAndCompletedLater) {
  LocalChannel<int> channel;
  EpochBuffer<int> buffer;
  Recorder rec;
  channel.AdvanceTo(1);
  Send(&channel, 1, {10, 11});
  rec.Process(&buffer, &channel);
  EXPECT_EQ(rec.Take(), (std::vector<std::string>{"item:1:10", "item:1:11"}));
  channel.AdvanceTo(2);
  rec.Process(&buffer, &channel);
  EXPECT_EQ(rec.Take(), (std::vector<std::string>{"done:1"}));
}

TEST(EpochBuffer, LaterEpochsWaitForTheFrontier) {
  LocalChannel<int> channel;
  EpochBuffer<int> buffer;
  Recorder rec;
  channel.AdvanceTo(1);
  Send(&channel, 3, {30});
  Send(&channel, 1, {10});
  rec.Process(&buffer, &channel);
  EXPECT_EQ(rec.Take(), (std::vector<std::string>{"item:1:10"}));
  // Done reports say "every epoch up to here": one report covers 1 and 2.
  channel.AdvanceTo(3);
  rec.Process(&buffer, &channel);
  EXPECT_EQ(rec.Take(), (std::vector<std::string>{"done:2", "item:3:30"}));
}

// A resumed run starts at epoch 5: the earlier epochs are complete before
// the first item of epoch 5 is handed over, never after it (a snapshot
// "as of epoch 4" taken after it would hold an item a resume replays).
TEST(EpochBuffer, ResumedRunCompletesEarlierEpochsBeforeItsFirstItems) {
  LocalChannel<int> channel;
  EpochBuffer<int> buffer;
  Recorder rec;
  channel.AdvanceTo(5);
  Send(&channel, 5, {50});
  rec.Process(&buffer, &channel);
  EXPECT_EQ(rec.Take(), (std::vector<std::string>{"done:4", "item:5:50"}));
  channel.AdvanceTo(6);
  Send(&channel, 6, {60});
  rec.Process(&buffer, &channel);
  EXPECT_EQ(rec.Take(), (std::vector<std::string>{"done:5", "item:6:60"}));
}

TEST(EpochBuffer, EachEpochCompletesOnce) {
  LocalChannel<int> channel;
  EpochBuffer<int> buffer;
  Recorder rec;
  channel.AdvanceTo(2);
  Send(&channel, 1, {10});
  Send(&channel, 2, {20});
  rec.Process(&buffer, &channel);
  EXPECT_EQ(rec.Take(), (std::vector<std::string>{"item:1:10", "done:1", "item:2:20"}));
  rec.Process(&buffer, &channel);
  EXPECT_TRUE(rec.Take().empty());
  channel.AdvanceTo(kEofEpoch);
  rec.Process(&buffer, &channel);
  EXPECT_EQ(rec.Take(), (std::vector<std::string>{absl::StrCat("done:", kEofEpoch - 1)}));
}

}  // namespace
}  // namespace bytewax::internal
