#include "migrate_tool/kafka_rule.h"

#include <optional>
#include <string>

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"
#include "migrate_tool/ast_text.h"

namespace migrate_tool {
namespace {

KafkaConnector KindOf(clang::QualType type, const std::string& layer_ns) {
  // Inline namespaces spelled out, so only the layer's own KafkaInput
  // matches (not the sdk's or a user's).
  const std::string name = internal::ClassName(type);
  const std::string ns = "bytewax::" + layer_ns + "::connectors::kafka::";
  if (name == ns + "KafkaInput") return KafkaConnector::kInput;
  if (name == ns + "KafkaOutput") return KafkaConnector::kOutput;
  return KafkaConnector::kNone;
}

}  // namespace

KafkaArg FindKafkaArg(const clang::Expr* arg, const std::string& layer_ns) {
  KafkaArg out;
  // The builder takes the connector by reference to its base: peel the
  // conversions and temporaries down to the expression that names it.
  const clang::Expr* e = arg;
  for (int depth = 0; depth < 16 && e != nullptr; ++depth) {
    e = e->IgnoreParens();
    const KafkaConnector kind = KindOf(e->getType(), layer_ns);
    if (kind != KafkaConnector::kNone) out.kind = kind;
    if (const auto* ctor = llvm::dyn_cast<clang::CXXConstructExpr>(e)) {
      if (kind != KafkaConnector::kNone && !ctor->getConstructor()->isCopyOrMoveConstructor()) {
        out.ctor = ctor;
        return out;
      }
      e = ctor->getNumArgs() == 1 ? ctor->getArg(0) : nullptr;
    } else if (const auto* cast = llvm::dyn_cast<clang::CastExpr>(e)) {
      e = cast->getSubExpr();
    } else if (const auto* mt = llvm::dyn_cast<clang::MaterializeTemporaryExpr>(e)) {
      e = mt->getSubExpr();
    } else if (const auto* bt = llvm::dyn_cast<clang::CXXBindTemporaryExpr>(e)) {
      e = bt->getSubExpr();
    } else if (const auto* cleanups = llvm::dyn_cast<clang::ExprWithCleanups>(e)) {
      e = cleanups->getSubExpr();
    } else {
      break;
    }
  }
  if (out.kind != KafkaConnector::kNone) {
    const char* name = out.kind == KafkaConnector::kInput ? "KafkaInput" : "KafkaOutput";
    out.manual = std::string("a ") + name +
                 " built elsewhere and passed to the builder: 0.18's Kafka operators take the "
                 "connector's arguments, and the stream's item type changes (" +
                 (out.kind == KafkaConnector::kInput ? "KafkaSourceMessage" : "KafkaSinkMessage") +
                 " instead of (key, value)); construct it in the builder call or rewrite with "
                 "kop::" +
                 (out.kind == KafkaConnector::kInput ? "input" : "output") + " by hand";
  }
  return out;
}

std::optional<KafkaCtorArgs> ReadKafkaCtorArgs(const clang::CXXConstructExpr* ctor,
                                               const clang::SourceManager& sm,
                                               const clang::LangOptions& lang) {
  const clang::SourceRange parens = ctor->getParenOrBraceRange();
  if (parens.isInvalid() || parens.getBegin().isMacroID() || parens.getEnd().isMacroID()) {
    return std::nullopt;
  }
  KafkaCtorArgs out;
  for (const clang::Expr* a : ctor->arguments()) {
    if (llvm::isa<clang::CXXDefaultArgExpr>(a)) break;
    if (a->getBeginLoc().isMacroID() || a->getEndLoc().isMacroID()) return std::nullopt;
    ++out.given;
  }
  const clang::SourceLocation after_open =
      clang::Lexer::getLocForEndOfToken(parens.getBegin(), 0, sm, lang);
  bool invalid = false;
  out.text =
      clang::Lexer::getSourceText(clang::CharSourceRange::getCharRange(after_open, parens.getEnd()),
                                  sm, lang, &invalid)
          .str();
  if (invalid) return std::nullopt;
  // The arguments follow generated text: a line break after the opening
  // parenthesis would leave a trailing space.
  const size_t first = out.text.find_first_not_of(" \t\r\n");
  out.text.erase(0, first == std::string::npos ? out.text.size() : first);
  return out;
}

std::string KafkaInputCall(const KafkaSpelling& sp, const std::string& var,
                           const std::string& step_id_text, const std::string& flow,
                           const KafkaCtorArgs& args) {
  // KafkaInput(brokers, topics, tail, starting_offset, add_config,
  // batch_size): the same parameters in the same order as kop::input.
  static const char* const kDefaults[] = {
      nullptr,
      nullptr,
      "/*tail=*/true",
      "bytewax::connectors::kafka::OFFSET_BEGINNING",
      "/*add_config=*/{}",
      "/*batch_size=*/1",
  };
  std::string text =
      "auto " + var + " = " + sp.kop + "input(" + step_id_text + ", " + flow + ", " + args.text;
  for (unsigned i = args.given; i < 6; ++i) {
    if (kDefaults[i] != nullptr) text += std::string(", ") + kDefaults[i];
  }
  return text + ")";
}

std::string KafkaInputAdapters(const KafkaSpelling& sp, const std::string& indent,
                               const std::string& var, const std::string& raise_id,
                               const std::string& kv_id, const std::string& kv_var) {
  return "\n" + indent + sp.op + "raises(" + raise_id + ", " + var + ".errs);\n" + indent +
         "auto " + kv_var + " = " + sp.op + "map(" + kv_id + ", " + var + ".oks, " +
         "[](bytewax::connectors::kafka::KafkaSourceMessage msg) { return "
         "std::make_pair(std::move(msg.key), std::move(msg.value)); });";
}

std::string KafkaOutputCode(const KafkaSpelling& sp, const std::string& indent,
                            const std::string& up, const std::string& msgs_var,
                            const std::string& map_id, const std::string& step_id_text,
                            const KafkaCtorArgs& args) {
  // KafkaOutput(brokers, topic, add_config) -> kop::output's parameters
  // after the stream, in the same order; the pair's key and value may be
  // std::string or std::optional<std::string>, both fields' types.
  return "auto " + msgs_var + " = " + sp.op + "map(" + map_id + ", " + up +
         ", [](auto kv) { return bytewax::connectors::kafka::KafkaSinkMessage{"
         "std::move(kv.first), std::move(kv.second)}; });\n" +
         indent + sp.kop + "output(" + step_id_text + ", " + msgs_var + ", " + args.text + ")";
}

}  // namespace migrate_tool
