// v0.18 twin of testdata/legacy_v0_17/reduce.cc: must print the same.
// v0.18 has no `reduce(step_id, reducer, is_complete)`; its migration is a
// stateful_map that keeps the session and emits it once complete, then a
// filter_map dropping the steps where nothing was complete.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

int main() {
  namespace op = bytewax::operators;
  using Event = std::pair<std::string, std::string>;
  using Session = std::vector<std::string>;

  bytewax::dataflow::Dataflow flow("reduce");
  auto events = op::input("inp", flow,
                          bytewax::testing::TestingSource<Event>({{"a", "login"},
                                                                  {"a", "post"},
                                                                  {"b", "login"},
                                                                  {"b", "post"},
                                                                  {"a", "logout"},
                                                                  {"b", "logout"},
                                                                  {"c", "login"}}));
  auto keyed = op::map("user_as_key", events,
                       [](const Event& e) { return std::make_pair(e.first, Session{e.second}); });
  auto maybe_sessions = op::stateful_map(
      "sessionizer", keyed, [] { return Session(); },
      [](Session session, Session events) {
        session.insert(session.end(), events.begin(), events.end());
        if (session.back() == "logout") {
          return std::make_pair(std::optional<Session>(), std::optional<Session>(session));
        }
        return std::make_pair(std::optional<Session>(session), std::optional<Session>());
      });
  auto sessions = op::filter_map("complete", maybe_sessions,
                                 [](std::pair<std::string, std::optional<Session>> kv)
                                     -> std::optional<std::pair<std::string, Session>> {
                                   if (!kv.second) return std::nullopt;
                                   return std::make_pair(kv.first, *kv.second);
                                 });
  op::output("out", sessions, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
