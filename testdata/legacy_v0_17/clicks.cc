// Click sessions in v0.17's API: each user's clicks, gathered per session
// (clicks less than 5 minutes apart) with collect_window, then the pages
// per user in sliding 10-minute windows every 5 minutes with reduce_window.
// Both emit `(user, value)`: v0.17 windows carry no metadata.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
#include "bytewax/window.h"

using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingInput;
using bytewax::window::EventClockConfig;
using bytewax::window::SessionWindow;
using bytewax::window::SlidingWindow;

struct Click {
  std::string user;
  std::string page;
  absl::Time time;
};
using Pages = std::vector<std::string>;
struct Visits {
  Pages pages;
  absl::Time last;
};

const absl::Time kStart = absl::FromCivil(absl::CivilMinute(2023, 6, 1, 9, 0), absl::UTCTimeZone());

Click At(int minute, const std::string& user, const std::string& page) {
  return Click{user, page, kStart + absl::Minutes(minute)};
}

std::vector<Click> Clicks() {
  return {At(0, "ann", "/home"),    At(1, "bob", "/home"),   At(2, "ann", "/search"),
          At(3, "ann", "/item/1"),  At(12, "ann", "/home"),  At(13, "bob", "/cart"),
          At(14, "ann", "/item/2"), At(15, "bob", "/checkout"), At(30, "ann", "/home")};
}

auto ClickTime() {
  // Clicks arrive in time order; wait a minute for stragglers anyway.
  return EventClockConfig([](const Click& c) { return c.time; }, absl::Minutes(1));
}

int main() {
  Dataflow sessions;
  sessions.input("clicks", TestingInput<Click>(Clicks()));
  sessions.map([](Click c) { return std::make_pair(c.user, c); });
  sessions.collect_window("sessions", ClickTime(), SessionWindow(absl::Minutes(5)));
  sessions.map([](std::pair<std::string, std::vector<Click>> session) {
    Pages pages;
    for (const Click& c : session.second) pages.push_back(c.page);
    return std::make_pair(session.first, pages);
  });
  sessions.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(sessions);

  Dataflow activity;
  activity.input("clicks", TestingInput<Click>(Clicks()));
  activity.map([](Click c) { return std::make_pair(c.user, Visits{{c.page}, c.time}); });
  activity.reduce_window(
      "pages", EventClockConfig([](const Visits& v) { return v.last; }, absl::Minutes(1)),
      SlidingWindow(absl::Minutes(10), absl::Minutes(5), kStart), [](Visits a, Visits b) {
        a.pages.insert(a.pages.end(), b.pages.begin(), b.pages.end());
        a.last = std::max(a.last, b.last);
        return a;
      });
  activity.map([](std::pair<std::string, Visits> kv) {
    return std::make_pair(kv.first, static_cast<int>(kv.second.pages.size()));
  });
  activity.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(activity);
  return 0;
}
