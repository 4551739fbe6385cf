// deploy/ against the code that reads it: every BYTEWAX_* variable the
// StatefulSet and the Dockerfile mention is one cli_main or cluster_main
// reads, and the StatefulSet's names, hostfile, replica count and port fit
// together so that each pod parses into its own process of one cluster.
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/internal/cluster_transport.h"
#include "sdk/bytewax/run.h"

namespace bytewax_test {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) { return absl::StrSplit(text, '\n'); }

std::string Indent(const std::string& line) { return line.substr(0, line.find_first_not_of(' ')); }

// The first "key: value" after the line holding `anchor`.
std::string ValueAfter(const std::vector<std::string>& lines, const std::string& anchor,
                       const std::string& key) {
  bool seen = false;
  for (const auto& line : lines) {
    if (absl::StrContains(line, anchor)) seen = true;
    if (!seen) continue;
    const std::string trimmed(absl::StripAsciiWhitespace(line));
    if (absl::StartsWith(trimmed, key + ":")) {
      std::string v(absl::StripAsciiWhitespace(trimmed.substr(key.size() + 1)));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
  }
  return "";
}

// name -> literal value ("" for valueFrom) of the container's env entries.
std::map<std::string, std::string> EnvOf(const std::vector<std::string>& lines) {
  std::map<std::string, std::string> env;
  const std::regex entry(R"(^\s*- name: (BYTEWAX_[A-Z_]+)\s*$)");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, entry)) continue;
    std::string value;
    if (i + 1 < lines.size()) {
      const std::string next(absl::StripAsciiWhitespace(lines[i + 1]));
      if (absl::StartsWith(next, "value:")) {
        value = std::string(absl::StripAsciiWhitespace(next.substr(6)));
        if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
      }
    }
    env[m[1]] = value;
  }
  return env;
}

std::set<std::string> MentionedVariables(const std::string& text) {
  std::set<std::string> out;
  const std::regex var("BYTEWAX_[A-Z_]*[A-Z]");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), var); it != std::sregex_iterator();
       ++it) {
    out.insert(it->str());
  }
  return out;
}

class DeployTest : public ::testing::Test {
 protected:
  void SetUp() override {
    yaml_ = ReadFile("deploy/bytewax.yaml");
    docker_ = ReadFile("deploy/Dockerfile");
    ASSERT_FALSE(yaml_.empty());
    ASSERT_FALSE(docker_.empty());
    lines_ = Lines(yaml_);
    for (const auto& v : MentionedVariables(yaml_ + docker_)) unsetenv(v.c_str());
  }
  std::string yaml_;
  std::string docker_;
  std::vector<std::string> lines_;
};

TEST_F(DeployTest, EveryVariableIsOneTheCodeReads) {
  // What cli_main documents in --help, plus the helm chart's variables
  // that ParseRunArgs reads (exercised in StatefulSetPodsParseIntoOneCluster).
  std::set<std::string> known = MentionedVariables(bytewax::run::RunUsage("flow"));
  known.insert({"BYTEWAX_POD_NAME", "BYTEWAX_STATEFULSET_NAME", "BYTEWAX_HOSTFILE_PATH"});
  for (const char* v :
       {"BYTEWAX_WORKERS_PER_PROCESS", "BYTEWAX_CLUSTER_TOKEN", "BYTEWAX_CONNECT_TIMEOUT",
        "BYTEWAX_TLS_CERT", "BYTEWAX_RECOVERY_DIRECTORY"}) {
    EXPECT_EQ(known.count(v), 1u) << v << " is not in --help";
  }
  const auto mentioned = MentionedVariables(yaml_ + docker_);
  EXPECT_GE(mentioned.size(), 8u);
  for (const auto& v : mentioned) EXPECT_EQ(known.count(v), 1u) << v << " is read by no code";
}

TEST_F(DeployTest, StatefulSetPodsParseIntoOneCluster) {
  const std::string set_name = ValueAfter(lines_, "kind: StatefulSet", "name");
  const std::string service = ValueAfter(lines_, "kind: StatefulSet", "serviceName");
  const int replicas = std::stoi(ValueAfter(lines_, "kind: StatefulSet", "replicas"));
  const std::string port = ValueAfter(lines_, "kind: StatefulSet", "containerPort");
  EXPECT_EQ(set_name, "bytewax");
  EXPECT_EQ(ValueAfter(lines_, "kind: Service", "name"), service);
  EXPECT_EQ(ValueAfter(lines_, "kind: Service", "clusterIP"), "None");
  EXPECT_EQ(ValueAfter(lines_, "kind: Service", "port"), port);
  EXPECT_EQ(ValueAfter(lines_, "BYTEWAX_POD_NAME", "fieldPath"), "metadata.name");

  auto env = EnvOf(lines_);
  EXPECT_EQ(env["BYTEWAX_STATEFULSET_NAME"], set_name);
  const std::string hostfile_path = env["BYTEWAX_HOSTFILE_PATH"];
  const std::string mount = ValueAfter(lines_, "volumeMounts:", "mountPath");
  ASSERT_FALSE(mount.empty());
  const std::string key = hostfile_path.substr(mount.size() + 1);
  EXPECT_EQ(hostfile_path, absl::StrCat(mount, "/", key));

  // The ConfigMap's hostfile, as the pods see it.
  std::vector<std::string> hosts;
  bool in_file = false;
  std::string indent;
  for (const auto& line : lines_) {
    if (absl::StrContains(line, absl::StrCat(key, ": |"))) {
      in_file = true;
      indent.clear();
      continue;
    }
    if (!in_file) continue;
    if (indent.empty()) indent = Indent(line);
    if (Indent(line).size() < indent.size() || absl::StripAsciiWhitespace(line).empty()) break;
    hosts.emplace_back(absl::StripAsciiWhitespace(line));
  }
  ASSERT_EQ(hosts.size(), static_cast<std::size_t>(replicas));
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string local_hostfile = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/hostfile.txt");
  {
    std::ofstream out(local_hostfile);
    for (const auto& h : hosts) out << h << "\n";
  }
  for (int pod = 0; pod < replicas; ++pod) {
    EXPECT_TRUE(absl::StartsWith(hosts[pod], absl::StrCat(set_name, "-", pod, ".", service, ".")))
        << hosts[pod];
    EXPECT_TRUE(absl::EndsWith(hosts[pod], absl::StrCat(":", port))) << hosts[pod];
    for (const auto& [k, v] : env) {
      if (!v.empty()) setenv(k.c_str(), v.c_str(), 1);
    }
    setenv("BYTEWAX_POD_NAME", absl::StrCat(set_name, "-", pod).c_str(), 1);
    setenv("BYTEWAX_HOSTFILE_PATH", local_hostfile.c_str(), 1);
    setenv("BYTEWAX_CLUSTER_TOKEN", "from-the-secret", 1);
    const auto args = bytewax::run::ParseRunArgs({});
    EXPECT_EQ(args.process_id, static_cast<std::size_t>(pod));
    EXPECT_EQ(args.addresses, hosts);
    EXPECT_EQ(args.workers_per_process,
              static_cast<std::size_t>(std::stoul(env["BYTEWAX_WORKERS_PER_PROCESS"])));
    bytewax::internal::ClusterOptions opts;
    opts.ReadEnvironment();
    EXPECT_EQ(opts.token, "from-the-secret");
    EXPECT_EQ(opts.connect_timeout, absl::Seconds(std::stoi(env["BYTEWAX_CONNECT_TIMEOUT"])));
  }
}

TEST_F(DeployTest, DockerfileShipsTheFlowAndTheRecoveryTool) {
  EXPECT_THAT(docker_, ::testing::HasSubstr("ARG FLOW=//examples:wordcount"));
  EXPECT_THAT(docker_, ::testing::HasSubstr("//sdk:recovery"));
  EXPECT_THAT(docker_, ::testing::HasSubstr("ENTRYPOINT [\"/usr/local/bin/flow\"]"));
  EXPECT_THAT(docker_, ::testing::HasSubstr(absl::StrCat(
                           "EXPOSE ", ValueAfter(lines_, "kind: StatefulSet", "containerPort"))));
  EXPECT_THAT(yaml_, ::testing::HasSubstr("image: bytewax-flow:latest"));
  EXPECT_THAT(docker_, ::testing::HasSubstr("-t bytewax-flow:latest"));
}

}  // namespace
}  // namespace bytewax_test
