// v0.18 twin of testdata/legacy_v0_17/clicks.cc: must print the same.
// v0.18's window operators emit `(user, (WindowMetadata, value))`, so each
// flow drops the metadata where v0.17's did it implicitly.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/operators/window.h"
#include "bytewax/testing.h"

namespace {

namespace op = bytewax::operators;
namespace win = bytewax::operators::window;

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
  return {At(0, "ann", "/home"),    At(1, "bob", "/home"),      At(2, "ann", "/search"),
          At(3, "ann", "/item/1"),  At(12, "ann", "/home"),     At(13, "bob", "/cart"),
          At(14, "ann", "/item/2"), At(15, "bob", "/checkout"), At(30, "ann", "/home")};
}

auto ClickTime() {
  return win::EventClockConfig([](const Click& c) { return c.time; }, absl::Minutes(1));
}

}  // namespace

int main() {
  bytewax::dataflow::Dataflow sessions("sessions");
  auto clicks = op::input("clicks", sessions, bytewax::testing::TestingSource<Click>(Clicks()));
  auto by_user = op::key_on("user", clicks, [](const Click& c) { return c.user; });
  auto collected =
      win::collect_window("sessions", by_user, ClickTime(), win::SessionWindow(absl::Minutes(5)));
  auto pages = op::map_value("pages", collected,
                             [](const std::pair<win::WindowMetadata, std::vector<Click>>& w) {
                               Pages pages;
                               pages.reserve(w.second.size());
                               for (const Click& c : w.second) pages.push_back(c.page);
                               return pages;
                             });
  op::output("out", pages, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(sessions);

  bytewax::dataflow::Dataflow activity("activity");
  auto clicks2 = op::input("clicks", activity, bytewax::testing::TestingSource<Click>(Clicks()));
  auto visits = op::map("visits", clicks2, [](const Click& c) {
    return std::make_pair(c.user, Visits{{c.page}, c.time});
  });
  auto windows = win::reduce_window(
      "pages", visits,
      win::EventClockConfig([](const Visits& v) { return v.last; }, absl::Minutes(1)),
      win::SlidingWindow(absl::Minutes(10), absl::Minutes(5), kStart), [](Visits a, Visits b) {
        a.pages.insert(a.pages.end(), b.pages.begin(), b.pages.end());
        a.last = std::max(a.last, b.last);
        return a;
      });
  auto counts =
      op::map_value("count", windows, [](const std::pair<win::WindowMetadata, Visits>& w) {
        return static_cast<int>(w.second.pages.size());
      });
  op::output("out", counts, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(activity);
  return 0;
}
