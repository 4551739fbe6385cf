#include "migrate_tool/rules.h"

#include <string>
#include <vector>

namespace migrate_tool {
namespace {

std::vector<RenameRule> Renames017() {
  const char* const kIo = "io-rename";
  const char* const kConn = "connector-rename";
  const char* const kWin = "window-move";
  return {
      // bytewax.inputs / bytewax.outputs base classes.
      {kIo, "inputs::Input", "inputs::Source", "bytewax/inputs.h", "bytewax/inputs.h"},
      {kIo, "inputs::PartitionedInput", "inputs::FixedPartitionedSource", "bytewax/inputs.h",
       "bytewax/inputs.h"},
      {kIo, "inputs::DynamicInput", "inputs::DynamicSource", "bytewax/inputs.h",
       "bytewax/inputs.h"},
      {kIo, "inputs::StatefulSource", "inputs::StatefulSourcePartition", "bytewax/inputs.h",
       "bytewax/inputs.h"},
      {kIo, "inputs::StatelessSource", "inputs::StatelessSourcePartition", "bytewax/inputs.h",
       "bytewax/inputs.h"},
      {kIo, "outputs::Output", "outputs::Sink", "bytewax/outputs.h", "bytewax/outputs.h"},
      {kIo, "outputs::PartitionedOutput", "outputs::FixedPartitionedSink", "bytewax/outputs.h",
       "bytewax/outputs.h"},
      {kIo, "outputs::DynamicOutput", "outputs::DynamicSink", "bytewax/outputs.h",
       "bytewax/outputs.h"},
      {kIo, "outputs::StatefulSink", "outputs::StatefulSinkPartition", "bytewax/outputs.h",
       "bytewax/outputs.h"},
      {kIo, "outputs::StatelessSink", "outputs::StatelessSinkPartition", "bytewax/outputs.h",
       "bytewax/outputs.h"},
      // The polling input moved from bytewax.connectors.periodic.
      {"periodic-move", "connectors::periodic::SimplePollingInput", "inputs::SimplePollingSource",
       "bytewax/connectors/periodic.h", "bytewax/inputs.h"},
      {"periodic-move", "connectors::periodic::SimplePollingSource", "inputs::SimplePollingSource",
       "bytewax/connectors/periodic.h", "bytewax/inputs.h"},
      // Connectors.
      {kConn, "connectors::files::FileInput", "connectors::files::FileSource",
       "bytewax/connectors/files.h", "bytewax/connectors/files.h"},
      {kConn, "connectors::files::FileOutput", "connectors::files::FileSink",
       "bytewax/connectors/files.h", "bytewax/connectors/files.h"},
      {kConn, "connectors::files::DirInput", "connectors::files::DirSource",
       "bytewax/connectors/files.h", "bytewax/connectors/files.h"},
      {kConn, "connectors::files::DirOutput", "connectors::files::DirSink",
       "bytewax/connectors/files.h", "bytewax/connectors/files.h"},
      {kConn, "connectors::files::CSVInput", "connectors::files::CSVSource",
       "bytewax/connectors/files.h", "bytewax/connectors/files.h"},
      {kConn, "connectors::stdio::StdOutput", "connectors::stdio::StdOutSink",
       "bytewax/connectors/stdio.h", "bytewax/connectors/stdio.h"},
      {kConn, "testing::TestingInput", "testing::TestingSource", "bytewax/testing.h",
       "bytewax/testing.h"},
      {kConn, "testing::TestingOutput", "testing::TestingSink", "bytewax/testing.h",
       "bytewax/testing.h"},
      // Kafka: not renamed but handed to the "kafka-flow" code rule, as
      // the streams' item types change (kafka_rule.h).
      {"kafka-flow", "connectors::kafka::KafkaInput", "connectors::kafka::KafkaSource",
       "bytewax/connectors/kafka.h", "bytewax/connectors/kafka.h"},
      {"kafka-flow", "connectors::kafka::KafkaOutput", "connectors::kafka::KafkaSink",
       "bytewax/connectors/kafka.h", "bytewax/connectors/kafka.h"},
      // Not in the v0.17 layer yet: matched once a layer header declares them.
      {kWin, "window::SystemClockConfig", "operators::window::SystemClockConfig", "",
       "bytewax/operators/window.h"},
      {kWin, "window::EventClockConfig", "operators::window::EventClockConfig", "",
       "bytewax/operators/window.h"},
      {kWin, "window::TumblingWindow", "operators::window::TumblingWindow", "",
       "bytewax/operators/window.h"},
      {kWin, "window::SlidingWindow", "operators::window::SlidingWindow", "",
       "bytewax/operators/window.h"},
      {kWin, "window::SessionWindow", "operators::window::SessionWindow", "",
       "bytewax/operators/window.h"},
  };
}

std::vector<BuilderRule> Builder017() {
  return {
      {"input", "input", true},
      {"output", "output", true},
      {"redistribute", "redistribute", false},
      {"batch", "collect", true},
      {"filter", "filter", false},
      {"filter_map", "filter_map", false},
      {"flat_map", "flat_map", false},
      {"inspect", "inspect", false},
      {"inspect_epoch", "inspect_debug", false},
      {"inspect_worker", "inspect_debug", false},
      {"map", "map", false},
      {"reduce", "stateful_map", true},
      {"stateful_map", "stateful_map", true},
      {"fold_window", "window::fold_window", true, true},
      {"reduce_window", "window::reduce_window", true, true},
      {"collect_window", "window::collect_window", true, true},
  };
}

// 0.16 -> 0.17 keeps almost every name: its rules are code rules. Only the
// recovery config was renamed.
std::vector<RenameRule> Renames016() {
  return {
      {"recovery-rename", "recovery::SqliteRecoveryConfig", "recovery::RecoveryConfig",
       "bytewax/recovery.h", "bytewax/recovery.h"},
  };
}

// 0.10's top-level Dataflow moved to bytewax.dataflow; run and
// reduce_epoch are code rules (old_steps.h).
std::vector<RenameRule> Renames010() {
  return {
      {"dataflow-move", "Dataflow", "dataflow::Dataflow", "bytewax.h", "bytewax/dataflow.h"},
  };
}

// 0.16 dropped the `Config` suffixes where it kept the class; the configs
// it has no class for are reported by the "no-equivalent" code rule.
std::vector<RenameRule> Renames011() {
  const char* const kDrop = "config-suffix";
  return {
      {kDrop, "outputs::StdOutputConfig", "connectors::stdio::StdOutput", "bytewax/outputs.h",
       "bytewax/connectors/stdio.h"},
      {kDrop, "inputs::TestingInputConfig", "testing::TestingInput", "bytewax/inputs.h",
       "bytewax/testing.h"},
      {kDrop, "outputs::TestingOutputConfig", "testing::TestingOutput", "bytewax/outputs.h",
       "bytewax/testing.h"},
      {kDrop, "window::TumblingWindowConfig", "window::TumblingWindow", "bytewax/window.h",
       "bytewax/window.h"},
  };
}

}  // namespace

const std::vector<VersionStep>& Chain() {
  static const auto* const kChain = new std::vector<VersionStep>{
      {"0.10",
       "0.11",
       "v0_10",
       "compat/v0_10",
       Renames010(),
       {{"dataflow-move", "bytewax.h", "bytewax/dataflow.h"}},
       {},
       {"v010-run", "reduce-epoch"}},
      {"0.11",
       "0.16",
       "v0_11",
       "compat/v0_11",
       Renames011(),
       {{"run-main-move", "bytewax/execution.h", "bytewax/testing.h"}},
       {},
       {"capture-output", "tumbling-align", "run-main-move", "manual-input", "no-equivalent"}},
      {"0.16",
       "0.17",
       "v0_16",
       "compat/v0_16",
       Renames016(),
       {},
       {},
       {"next-batch", "list-parts-vector", "part-fn", "write-batch", "build-part-nullptr",
        "inspect-epoch-offset", "csv-batch-size", "testing-input-batch"}},
      {"0.17",
       "0.18",
       "v0_17",
       "compat/v0_17",
       Renames017(),
       {{"periodic-move", "bytewax/connectors/periodic.h", "bytewax/inputs.h"},
        {"window-move", "bytewax/window.h", "bytewax/operators/window.h"}},
       Builder017(),
       {"builder", "source-now-sched", "kafka-flow"}},
  };
  return *kChain;
}

const VersionStep* FindStep(const std::string& from) {
  for (const VersionStep& step : Chain()) {
    if (step.from == from) return &step;
  }
  return nullptr;
}

const std::vector<std::string>& KnownVersions() {
  static const auto* const kVersions =
      new std::vector<std::string>{"0.10", "0.11", "0.16", "0.17", "0.18"};
  return *kVersions;
}

}  // namespace migrate_tool
