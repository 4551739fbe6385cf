// to_mermaid and to_json on the seed's flows: the linear "basic" flow of the
// migration guide, a branch/merge flow (Bytewax's test_branch/test_merge
// shapes), and operators built from several engine steps.

#include "sdk/bytewax/visualize.h"

#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
namespace vis = bytewax::visualize;
using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingSink;
using bytewax::testing::TestingSource;
using ::testing::HasSubstr;

// migration-guide.md, "Non-Linear Dataflows": input -> map -> output.
void BuildBasic(Dataflow& flow, std::vector<int>* out) {
  auto stream = op::input("inp", flow, TestingSource<int>({0, 1, 2}));
  auto add_one = op::map("add_one", stream, [](int x) { return x + 1; });
  op::output("out", add_one, TestingSink<int>(*out));
}

// Odd and even items take different paths and meet again.
void BuildBranchMerge(Dataflow& flow, std::vector<int>* out) {
  auto nums = op::input("inp", flow, TestingSource<int>({1, 2, 3}));
  auto parts = op::branch("is_odd", nums, [](const int& x) { return x % 2 == 1; });
  auto odds = op::map("times_ten", parts.trues, [](int x) { return x * 10; });
  auto merged = op::merge("merge", odds, parts.falses);
  op::output("out", merged, TestingSink<int>(*out));
}

TEST(VisualizeTest, MermaidOfTheBasicFlow) {
  Dataflow flow("basic");
  std::vector<int> out;
  BuildBasic(flow, &out);
  EXPECT_EQ(vis::to_mermaid(flow),
            "flowchart TD\n"
            "subgraph \"basic (Dataflow)\"\n"
            "basic.inp[\"inp (input)\"]\n"
            "basic.add_one[\"add_one (map)\"]\n"
            "basic.inp -- \"down \u2192 up\" --> basic.add_one\n"
            "basic.out[\"out (output)\"]\n"
            "basic.add_one -- \"down \u2192 up\" --> basic.out\n"
            "end");
}

TEST(VisualizeTest, MermaidOfBranchAndMerge) {
  Dataflow flow("branchy");
  std::vector<int> out;
  BuildBranchMerge(flow, &out);
  EXPECT_EQ(vis::to_mermaid(flow),
            "flowchart TD\n"
            "subgraph \"branchy (Dataflow)\"\n"
            "branchy.inp[\"inp (input)\"]\n"
            "branchy.is_odd[\"is_odd (branch)\"]\n"
            "branchy.inp -- \"down \u2192 up\" --> branchy.is_odd\n"
            "branchy.times_ten[\"times_ten (map)\"]\n"
            "branchy.is_odd -- \"trues \u2192 up\" --> branchy.times_ten\n"
            "branchy.merge[\"merge (merge)\"]\n"
            "branchy.times_ten -- \"down \u2192 ups\" --> branchy.merge\n"
            "branchy.is_odd -- \"falses \u2192 ups\" --> branchy.merge\n"
            "branchy.out[\"out (output)\"]\n"
            "branchy.merge -- \"down \u2192 up\" --> branchy.out\n"
            "end");
  // The flow still runs as drawn.
  bytewax::testing::run_main(flow);
  EXPECT_THAT(out, ::testing::UnorderedElementsAre(10, 2, 30));
}

TEST(VisualizeTest, JsonOfTheBasicFlowMatchesBytewaxLayout) {
  Dataflow flow("basic");
  std::vector<int> out;
  BuildBasic(flow, &out);
  EXPECT_EQ(vis::to_json(flow), R"({
  "typ": "RenderedDataflow",
  "flow_id": "basic",
  "substeps": [
    {
      "typ": "RenderedOperator",
      "op_type": "input",
      "step_name": "inp",
      "step_id": "basic.inp",
      "inp_ports": [],
      "out_ports": [
        {
          "typ": "RenderedPort",
          "port_name": "down",
          "port_id": "basic.inp.down",
          "from_port_ids": [],
          "from_stream_ids": []
        }
      ],
      "substeps": []
    },
    {
      "typ": "RenderedOperator",
      "op_type": "map",
      "step_name": "add_one",
      "step_id": "basic.add_one",
      "inp_ports": [
        {
          "typ": "RenderedPort",
          "port_name": "up",
          "port_id": "basic.add_one.up",
          "from_port_ids": [
            "basic.inp.down"
          ],
          "from_stream_ids": [
            "basic.inp.down"
          ]
        }
      ],
      "out_ports": [
        {
          "typ": "RenderedPort",
          "port_name": "down",
          "port_id": "basic.add_one.down",
          "from_port_ids": [],
          "from_stream_ids": []
        }
      ],
      "substeps": []
    },
    {
      "typ": "RenderedOperator",
      "op_type": "output",
      "step_name": "out",
      "step_id": "basic.out",
      "inp_ports": [
        {
          "typ": "RenderedPort",
          "port_name": "up",
          "port_id": "basic.out.up",
          "from_port_ids": [
            "basic.add_one.down"
          ],
          "from_stream_ids": [
            "basic.add_one.down"
          ]
        }
      ],
      "out_ports": [],
      "substeps": []
    }
  ]
})");
}

TEST(VisualizeTest, CompositeOperatorsAreOneNodeWithSubsteps) {
  Dataflow flow("wc");
  std::vector<std::pair<std::string, std::int64_t>> out;
  auto words = op::input("inp", flow, TestingSource<std::string>({"a", "b", "a"}));
  auto counts = op::count_final("count", words, [](const std::string& w) { return w; });
  op::output("out", counts, TestingSink<std::pair<std::string, std::int64_t>>(out));

  EXPECT_EQ(vis::to_mermaid(flow),
            "flowchart TD\n"
            "subgraph \"wc (Dataflow)\"\n"
            "wc.inp[\"inp (input)\"]\n"
            "wc.count[\"count (count_final)\"]\n"
            "wc.inp -- \"down \u2192 up\" --> wc.count\n"
            "wc.out[\"out (output)\"]\n"
            "wc.count -- \"down \u2192 up\" --> wc.out\n"
            "end");

  const vis::RenderedDataflow r = vis::to_rendered(flow);
  ASSERT_EQ(r.substeps.size(), 3U);
  const vis::RenderedOperator& count = r.substeps[1];
  EXPECT_EQ(count.step_id, "wc.count");
  ASSERT_EQ(count.substeps.size(), 1U);
  EXPECT_EQ(count.substeps[0].step_id, "wc.count.init_count");
  EXPECT_EQ(count.substeps[0].op_type, "pre_reduce");
  // The inner step reads from its container's input port.
  ASSERT_EQ(count.substeps[0].inp_ports.size(), 1U);
  EXPECT_EQ(count.substeps[0].inp_ports[0].from_port_ids, std::vector<std::string>{"wc.count.up"});
  EXPECT_THAT(vis::to_json(flow), HasSubstr("\"step_id\": \"wc.count.init_count\""));
}

TEST(VisualizeTest, JoinHasOneSidesPortFedByEverySide) {
  Dataflow flow("j");
  auto left = op::input("left", flow, TestingSource<std::pair<std::string, int>>({{"k", 1}}));
  auto right = op::input("right", flow, TestingSource<std::pair<std::string, int>>({{"k", 2}}));
  auto joined = op::join("join", left, right);
  std::vector<typename decltype(joined)::value_type> out;
  op::output("out", joined, TestingSink<typename decltype(joined)::value_type>(out));
  EXPECT_EQ(vis::to_mermaid(flow),
            "flowchart TD\n"
            "subgraph \"j (Dataflow)\"\n"
            "j.left[\"left (input)\"]\n"
            "j.right[\"right (input)\"]\n"
            "j.join[\"join (join)\"]\n"
            "j.left -- \"down \u2192 sides\" --> j.join\n"
            "j.right -- \"down \u2192 sides\" --> j.join\n"
            "j.out[\"out (output)\"]\n"
            "j.join -- \"down \u2192 up\" --> j.out\n"
            "end");
}

TEST(VisualizeTest, StepNamesAreEscaped) {
  Dataflow flow("q");
  auto s = op::input("in\"p", flow, TestingSource<int>({1}));
  std::vector<int> out;
  op::output("\xc3\xa9t\xe2\x86\x92", s, TestingSink<int>(out));
  EXPECT_THAT(vis::to_mermaid(flow), HasSubstr("q.in_p[\"in#quot;p (input)\"]"));
  EXPECT_THAT(vis::to_json(flow), HasSubstr("\"step_name\": \"in\\\"p\""));
  EXPECT_THAT(vis::to_json(flow), HasSubstr("\"step_name\": \"\\u00e9t\\u2192\""));
}

TEST(VisualizeTest, FlagPrintsAndReturnsExitCode) {
  Dataflow flow("basic");
  std::vector<int> out;
  BuildBasic(flow, &out);
  std::ostringstream o;
  std::ostringstream e;
  std::string prog = "prog";
  std::string w = "-w";
  std::string two = "2";
  std::string flag = "--visualize=json";
  std::vector<char*> argv = {prog.data(), w.data(), two.data(), flag.data()};
  EXPECT_EQ(vis::HandleVisualizeFlag(4, argv.data(), flow, o, e), 0);
  EXPECT_EQ(o.str(), vis::to_json(flow) + "\n");

  std::string plain = "--visualize";
  argv = {prog.data(), plain.data()};
  o.str("");
  EXPECT_EQ(vis::HandleVisualizeFlag(2, argv.data(), flow, o, e), 0);
  EXPECT_EQ(o.str(), vis::to_mermaid(flow) + "\n");

  std::string bad = "--visualize=svg";
  argv = {prog.data(), bad.data()};
  EXPECT_EQ(vis::HandleVisualizeFlag(2, argv.data(), flow, o, e), 2);
  EXPECT_THAT(e.str(), HasSubstr("unknown format 'svg'"));

  argv = {prog.data(), w.data(), two.data()};
  EXPECT_EQ(vis::HandleVisualizeFlag(3, argv.data(), flow, o, e), std::nullopt);
}

}  // namespace
}  // namespace bytewax_test
