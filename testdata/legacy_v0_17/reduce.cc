// Sessionize user events with `reduce`: gather each user's events until a
// logout completes the session, which is then emitted and forgotten.
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

using Event = std::pair<std::string, std::string>;  // (user, type)
using Session = std::vector<std::string>;

std::pair<std::string, Session> UserAsKey(Event event) {
  return {event.first, Session{event.second}};
}

Session ExtendSession(Session session, Session events) {
  session.insert(session.end(), events.begin(), events.end());
  return session;
}

bool SessionComplete(const Session& session) { return session.back() == "logout"; }

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<Event>({{"a", "login"},
                                                           {"a", "post"},
                                                           {"b", "login"},
                                                           {"b", "post"},
                                                           {"a", "logout"},
                                                           {"b", "logout"},
                                                           {"c", "login"}}));
  flow.map(UserAsKey);
  flow.reduce("sessionizer", ExtendSession, SessionComplete);
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
