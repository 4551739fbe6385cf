// File: migrate_tool/kafka_rule.h
//
// The 0.17 -> 0.18 Kafka rule ("kafka-flow", API.md section 4): a v0.17
// `flow.input("in", KafkaInput(brokers, topics, ...))` emitted `(key,
// value)` pairs; v0.18's `kop::input` emits KafkaSourceMessages on `.oks`
// and errors on `.errs`. `flow.output("out", KafkaOutput(brokers, topic))`
// consumed pairs; `kop::output` consumes KafkaSinkMessages. The engine
// (migrator.cc) rewrites such builder steps with the code built here:
//
//   KafkaArg arg = FindKafkaArg(call->getArg(1), "v0_17");
//   if (arg.kind == KafkaConnector::kInput && arg.ctor != nullptr) {
//     std::optional<KafkaCtorArgs> args = ReadKafkaCtorArgs(arg.ctor, sm, lang);
//     std::string text = KafkaInputCall(names, "inp", "\"inp\"", "flow", *args);
//     ...
//   }
//
// Only connectors constructed in place as the builder's argument are
// rewritten: one built elsewhere (a variable, a factory) cannot have its
// stream re-typed locally, so the engine reports it manual with `manual`.
//
// Thread-safety: pure functions of the AST they are given.

#ifndef MIGRATE_TOOL_KAFKA_RULE_H_
#define MIGRATE_TOOL_KAFKA_RULE_H_

#include <optional>
#include <string>

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"

namespace migrate_tool {

// The rule id of Kafka sites (and of the Kafka rows of the rename table,
// which the engine hands to this rule instead of renaming).
inline constexpr const char* kKafkaRule = "kafka-flow";

enum class KafkaConnector { kNone, kInput, kOutput };

// What a builder argument is.
struct KafkaArg {
  KafkaConnector kind = KafkaConnector::kNone;
  // The construction of the connector in place, or nullptr with `manual`
  // saying why the step cannot be rewritten.
  const clang::CXXConstructExpr* ctor = nullptr;
  std::string manual;
};

// Whether `arg` (a builder call's argument) is a v0.17 KafkaInput or
// KafkaOutput of the layer whose inline namespace is `layer_ns`.
KafkaArg FindKafkaArg(const clang::Expr* arg, const std::string& layer_ns);

// The constructor's arguments as the user wrote them (comments kept).
struct KafkaCtorArgs {
  std::string text;    // between the parentheses or braces
  unsigned given = 0;  // how many were written (the rest defaulted)
};

std::optional<KafkaCtorArgs> ReadKafkaCtorArgs(const clang::CXXConstructExpr* ctor,
                                               const clang::SourceManager& sm,
                                               const clang::LangOptions& lang);

// How the generated code spells the operator namespaces ("op::" or
// "bytewax::operators::", "kop::" or the full name).
struct KafkaSpelling {
  std::string op;
  std::string kop;
};

// `auto VAR = kop::input(STEP_ID, FLOW, ARGS...)`: 0.17's KafkaInput read
// batches of 1 by default where 0.18 reads 1000, so the defaults up to
// batch_size are written out when the user left them.
std::string KafkaInputCall(const KafkaSpelling& sp, const std::string& var,
                           const std::string& step_id_text, const std::string& flow,
                           const KafkaCtorArgs& args);

// Step ids (`*_id`) are given as C++ string literals.
//
// The statements after the input: `.errs` fails the flow as 0.17's
// KafkaInput did (it raised on a consumer error), `.oks` becomes the
// `(key, value)` pairs the steps after it read.
std::string KafkaInputAdapters(const KafkaSpelling& sp, const std::string& indent,
                               const std::string& var, const std::string& raise_id,
                               const std::string& kv_id, const std::string& kv_var);

// `auto MSGS = op::map(MAP_ID, UP, pair -> KafkaSinkMessage);` then
// `kop::output(STEP_ID, MSGS, ARGS...)` (without the final semicolon,
// which the user's statement keeps).
std::string KafkaOutputCode(const KafkaSpelling& sp, const std::string& indent,
                            const std::string& up, const std::string& msgs_var,
                            const std::string& map_id, const std::string& step_id_text,
                            const KafkaCtorArgs& args);

}  // namespace migrate_tool

#endif  // MIGRATE_TOOL_KAFKA_RULE_H_
