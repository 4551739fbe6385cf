#include "migrate_tool/old_steps.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "migrate_tool/ast_text.h"

namespace migrate_tool {
namespace {

namespace am = clang::ast_matchers;
using clang::CharSourceRange;
using clang::SourceLocation;
using clang::SourceRange;
using internal::CallableFunction;
using internal::CamelCase;
using internal::ClassName;
using internal::InMacro;
using internal::ParentCompound;
using internal::QualifiedName;
using internal::SortBySource;
using internal::StringLiteralArg;

struct Collected {
  std::vector<const clang::VarDecl*> flows;
  std::vector<const clang::CXXMemberCallExpr*> calls;
  std::vector<const clang::DeclRefExpr*> flow_refs;
  std::vector<const clang::CXXConstructExpr*> constructs;
  std::vector<const clang::DeclRefExpr*> functions;
  std::vector<const clang::UsingDecl*> usings;
  // using-declarations of ManualInputConfig, which v0.16 does not have.
  std::vector<const clang::UsingDecl*> input_usings;
};

class Collector : public am::MatchFinder::MatchCallback {
 public:
  explicit Collector(Collected* out) : out_(out) {}
  void run(const am::MatchFinder::MatchResult& result) override {
    if (const auto* v = result.Nodes.getNodeAs<clang::VarDecl>("flow")) out_->flows.push_back(v);
    if (const auto* c = result.Nodes.getNodeAs<clang::CXXMemberCallExpr>("call")) {
      out_->calls.push_back(c);
    }
    if (const auto* r = result.Nodes.getNodeAs<clang::DeclRefExpr>("ref")) {
      out_->flow_refs.push_back(r);
    }
    if (const auto* c = result.Nodes.getNodeAs<clang::CXXConstructExpr>("construct")) {
      out_->constructs.push_back(c);
    }
    if (const auto* f = result.Nodes.getNodeAs<clang::DeclRefExpr>("function")) {
      out_->functions.push_back(f);
    }
    if (const auto* u = result.Nodes.getNodeAs<clang::UsingDecl>("using")) {
      out_->usings.push_back(u);
    }
    if (const auto* u = result.Nodes.getNodeAs<clang::UsingDecl>("input_using")) {
      out_->input_usings.push_back(u);
    }
  }

 private:
  Collected* out_;
};

class Rules {
 public:
  Rules(clang::ASTContext& ctx, const VersionStep& step, OldStepEdits* edits)
      : ctx_(ctx),
        sm_(ctx.getSourceManager()),
        lang_(ctx.getLangOpts()),
        src_(sm_, lang_),
        step_(step),
        ns_("bytewax::" + step.layer_ns + "::"),
        e_(edits) {}

  void Run() {
    const bool v010 = HasRule("v010-run");
    const bool v011 = HasRule("capture-output");
    if (!v010 && !v011) return;
    Collected found;
    Collector collector(&found);
    am::MatchFinder finder;
    using namespace am;  // NOLINT(google-build-using-namespace): matcher DSL
    const std::string flow_class =
        v010 ? "::" + ns_ + "Dataflow" : "::" + ns_ + "dataflow::Dataflow";
    const auto flow_type =
        hasUnqualifiedDesugaredType(recordType(hasDeclaration(cxxRecordDecl(hasName(flow_class)))));
    finder.addMatcher(
        varDecl(hasType(qualType(anyOf(flow_type, references(flow_type))))).bind("flow"),
        &collector);
    finder.addMatcher(
        cxxMemberCallExpr(on(expr(hasType(qualType(anyOf(flow_type, pointsTo(flow_type)))))))
            .bind("call"),
        &collector);
    finder.addMatcher(declRefExpr(to(varDecl(hasType(qualType(flow_type))))).bind("ref"),
                      &collector);
    if (v010) {
      finder.addMatcher(
          declRefExpr(to(functionDecl(hasAnyName("::" + ns_ + "run", "::" + ns_ + "run_cluster"))))
              .bind("function"),
          &collector);
    } else {
      const std::string ex = "::" + ns_ + "execution::";
      finder.addMatcher(declRefExpr(to(functionDecl(hasAnyName(ex + "run_main", ex + "cluster_main",
                                                               ex + "spawn_cluster",
                                                               "::" + ns_ + "inputs::distribute"))))
                            .bind("function"),
                        &collector);
      finder.addMatcher(
          usingDecl(hasAnyUsingShadowDecl(hasTargetDecl(functionDecl(hasName(ex + "run_main")))))
              .bind("using"),
          &collector);
      const std::string in = "::" + ns_ + "inputs::";
      finder.addMatcher(usingDecl(hasAnyUsingShadowDecl(
                                      hasTargetDecl(namedDecl(hasName(in + "ManualInputConfig")))))
                            .bind("input_using"),
                        &collector);
      const std::string out = "::" + ns_ + "outputs::";
      const std::string win = "::" + ns_ + "window::";
      finder.addMatcher(
          cxxConstructExpr(hasDeclaration(cxxConstructorDecl(ofClass(hasAnyName(
                               in + "ManualInputConfig", win + "TumblingWindowConfig",
                               win + "TestingClockConfig", out + "ManualOutputConfig",
                               out + "ManualEpochOutputConfig", out + "TestingEpochOutputConfig",
                               ex + "PeriodicEpochConfig", ex + "TestingEpochConfig")))))
              .bind("construct"),
          &collector);
    }
    finder.matchAST(ctx_);
    SortBySource(sm_, &found.flows);
    SortBySource(sm_, &found.calls);
    SortBySource(sm_, &found.constructs);
    SortBySource(sm_, &found.functions);
    if (v010) {
      Flows010(found);
    } else {
      for (const clang::CXXMemberCallExpr* call : found.calls) Capture011(call, found);
      for (const clang::CXXConstructExpr* c : found.constructs) Construct011(c);
      for (const clang::DeclRefExpr* f : found.functions) Function011(f);
      for (const clang::UsingDecl* u : found.usings) UsingRunMain011(u);
      for (const clang::UsingDecl* u : found.input_usings) UsingManualInput011(u);
    }
  }

 private:
  bool HasRule(const std::string& rule) const {
    return std::find(step_.code_rules.begin(), step_.code_rules.end(), rule) !=
           step_.code_rules.end();
  }

  // ---- locations and text ----

  unsigned Line(SourceLocation loc) const { return sm_.getExpansionLineNumber(loc); }

  // Where text inserted before `decl` goes: the start of the `//` comment
  // lines right above it, which belong to it.
  SourceLocation AboveComments(const clang::Decl* decl) const {
    const SourceLocation begin = sm_.getExpansionLoc(decl->getBeginLoc());
    const clang::FileID fid = sm_.getFileID(begin);
    llvm::StringRef buffer = sm_.getBufferData(fid);
    size_t at = buffer.rfind('\n', sm_.getFileOffset(begin));  // strictly before
    at = at == llvm::StringRef::npos ? 0 : at + 1;
    while (at > 0) {
      const size_t prev_end = at - 1;  // the '\n' ending the line above
      size_t prev = buffer.rfind('\n', prev_end);
      prev = prev == llvm::StringRef::npos ? 0 : prev + 1;
      if (!buffer.substr(prev, prev_end - prev).ltrim(" \t").starts_with("//")) break;
      at = prev;
    }
    return sm_.getLocForStartOfFile(fid).getLocWithOffset(static_cast<int>(at));
  }

  // The declaration at namespace scope that holds `node`.
  const clang::Decl* TopLevelDecl(const clang::DynTypedNode& node) {
    auto parents = ctx_.getParents(node);
    const clang::Decl* last = nullptr;
    while (!parents.empty()) {
      if (const auto* d = parents[0].get<clang::Decl>()) {
        if (llvm::isa<clang::TranslationUnitDecl>(d) || llvm::isa<clang::NamespaceDecl>(d) ||
            llvm::isa<clang::LinkageSpecDecl>(d)) {
          return last;
        }
        last = d;
        parents = ctx_.getParents(*d);
      } else if (const auto* s = parents[0].get<clang::Stmt>()) {
        parents = ctx_.getParents(*s);
      } else {
        return nullptr;
      }
    }
    return last;
  }

  // The call `ref` is spelled in as its callee or an argument, through
  // implicit casts only (`run_main(flow)`), or nullptr.
  const clang::CallExpr* EnclosingCall(const clang::DeclRefExpr* ref) {
    auto parents = ctx_.getParents(*ref);
    while (!parents.empty()) {
      if (const auto* call = parents[0].get<clang::CallExpr>()) return call;
      const auto* cast = parents[0].get<clang::ImplicitCastExpr>();
      if (cast == nullptr) return nullptr;
      parents = ctx_.getParents(*cast);
    }
    return nullptr;
  }

  // The VarDecl a call's object names, or nullptr.
  static const clang::VarDecl* ObjectVar(const clang::CXXMemberCallExpr* call) {
    const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(
        call->getImplicitObjectArgument()->IgnoreParenImpCasts());
    return ref == nullptr ? nullptr : llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
  }

  std::string PrintType(clang::QualType type) const {
    clang::PrintingPolicy policy(lang_);
    policy.SuppressUnwrittenScope = true;
    policy.FullyQualifiedName = true;
    return type.getAsString(policy);
  }

  void Manual(SourceLocation loc, const std::string& rule, const std::string& reason) {
    e_->AddSite(loc, rule, /*manual=*/true, reason, -1);
  }
  // Reports the site of `change`; a failed edit makes it manual.
  void Done(SourceLocation loc, const std::string& rule, int change, bool ok) {
    if (!ok) {
      if (change >= 0) e_->DropLastChange();
      Manual(loc, rule, "overlapping edits");
      return;
    }
    e_->AddSite(loc, rule, false, "", change);
  }

  // ---- 0.11 -> 0.16 ----

  // Step ids the user gave on `flow`, plus the ones generated so far.
  std::set<std::string>& IdsOf(const clang::VarDecl* flow, const Collected& found) {
    auto it = ids_.find(flow);
    if (it != ids_.end()) return it->second;
    std::set<std::string>& ids = ids_[flow];
    for (const clang::CXXMemberCallExpr* call : found.calls) {
      if (ObjectVar(call) != flow || call->getNumArgs() == 0) continue;
      if (const clang::StringLiteral* lit = StringLiteralArg(call->getArg(0))) {
        ids.insert(lit->getString().str());
      }
    }
    return ids;
  }

  static std::string NewId(std::set<std::string>* ids, const std::string& base) {
    std::string id = base;
    for (int n = 1; ids->count(id) != 0; ++n) id = base + "_" + std::to_string(n);
    ids->insert(id);
    return id;
  }

  // flow.capture(config) -> flow.output("out", config): v0.16's output is
  // v0.11's capture (it writes and passes the items on) with a step id.
  void Capture011(const clang::CXXMemberCallExpr* call, const Collected& found) {
    const SourceLocation loc = call->getExprLoc();
    if (!e_->IsUserLoc(loc) || call->getMethodDecl()->getName() != "capture") return;
    const std::string rule = "capture-output";
    const clang::VarDecl* flow = ObjectVar(call);
    const auto* member = llvm::dyn_cast<clang::MemberExpr>(call->getCallee()->IgnoreParens());
    if (flow == nullptr || member == nullptr || call->getNumArgs() != 1) {
      Manual(loc, rule, "capture on a Dataflow that is not a variable: write output(step_id, ...)");
      return;
    }
    if (InMacro(call->getSourceRange())) {
      Manual(loc, rule, "capture spelled inside a macro");
      return;
    }
    const std::string config = ClassName(call->getArg(0)->getType());
    if (config != ns_ + "outputs::StdOutputConfig" &&
        config != ns_ + "outputs::TestingOutputConfig") {
      // The config's own construction is reported by Construct011.
      Manual(loc, rule,
             "capture(" + config.substr(config.rfind(':') + 1) +
                 "): v0.16 has no such output; write a v0.16 DynamicOutput or PartitionedOutput "
                 "and output(step_id, ...) it by hand");
      return;
    }
    std::optional<clang::Token> lparen =
        clang::Lexer::findNextToken(member->getMemberLoc(), sm_, lang_);
    if (!lparen || !lparen->is(clang::tok::l_paren)) {
      Manual(loc, rule, "unusual capture call");
      return;
    }
    const std::string id = NewId(&IdsOf(flow, found), "out");
    const int change = e_->NewChange(loc, rule);
    const bool ok =
        e_->Replace(change,
                    CharSourceRange::getTokenRange(member->getMemberLoc(), member->getMemberLoc()),
                    "output") &&
        e_->Replace(change, CharSourceRange::getCharRange(lparen->getEndLoc(), lparen->getEndLoc()),
                    "\"" + id + "\", ");
    Done(loc, rule, change, ok);
  }

  void Construct011(const clang::CXXConstructExpr* c) {
    const SourceLocation loc = c->getBeginLoc();
    if (!e_->IsUserLoc(loc)) return;
    const std::string cls = QualifiedName(c->getConstructor()->getParent());
    const std::string leaf = cls.substr(cls.rfind(':') + 1);
    if (leaf == "TumblingWindowConfig") {
      TumblingAlign011(c);
    } else if (leaf == "ManualInputConfig") {
      ManualInput011(c);
    } else if (leaf == "TestingClockConfig") {
      Manual(loc, "no-equivalent",
             "v0.16 has no TestingClockConfig: use an EventClockConfig whose getter gives the "
             "item times by hand");
    } else if (leaf == "PeriodicEpochConfig" || leaf == "TestingEpochConfig") {
      Manual(loc, "no-equivalent",
             leaf +
                 ": v0.16's run_main/cluster_main take the epoch interval as an absl::Duration "
                 "(TestingEpochConfig: absl::ZeroDuration()); rewrite the call by hand");
    } else {
      Manual(loc, "no-equivalent",
             leaf +
                 ": v0.16 has no such output; write a v0.16 DynamicOutput (per-worker "
                 "handlers) or PartitionedOutput by hand");
    }
  }

  // absl puts its names in a versioned inline namespace.
  static bool IsAbslTime(clang::QualType type) {
    const clang::CXXRecordDecl* rec = type.isNull() ? nullptr : type->getAsCXXRecordDecl();
    if (rec == nullptr || rec->getName() != "Time") return false;
    const auto* ns = llvm::dyn_cast<clang::NamespaceDecl>(rec->getDeclContext());
    while (ns != nullptr && ns->isInline()) {
      ns = llvm::dyn_cast<clang::NamespaceDecl>(ns->getDeclContext());
    }
    return ns != nullptr && ns->getName() == "absl" && ns->getDeclContext()->isTranslationUnit();
  }

  // TumblingWindowConfig(length) -> TumblingWindow(length, absl::Now()):
  // v0.11 aligned the windows to when the config was made, v0.16 needs the
  // time spelled out.
  void TumblingAlign011(const clang::CXXConstructExpr* c) {
    const std::string rule = "tumbling-align";
    const SourceLocation loc = c->getBeginLoc();
    unsigned explicit_args = 0;
    for (const clang::Expr* arg : c->arguments()) {
      if (!llvm::isa<clang::CXXDefaultArgExpr>(arg)) ++explicit_args;
    }
    if (explicit_args == 0 || InMacro(c->getSourceRange())) {
      Manual(loc, rule, "unusual TumblingWindowConfig: write TumblingWindow(length, align_to)");
      return;
    }
    if (explicit_args == 2) {
      // start_at given as an absl::Time: it is the align_to as written.
      const auto* conv = llvm::dyn_cast<clang::CXXConstructExpr>(c->getArg(1)->IgnoreImplicit());
      const bool from_time = conv != nullptr && conv->getNumArgs() == 1 &&
                             !llvm::isa<clang::CXXTemporaryObjectExpr>(conv) &&
                             conv->getParenOrBraceRange().isInvalid() &&
                             IsAbslTime(conv->getArg(0)->getType());
      if (!from_time) {
        Manual(loc, rule,
               "start_at is a std::optional: write TumblingWindow(length, align_to) with an "
               "absl::Time by hand (v0.11 used the time the config was made for std::nullopt)");
        return;
      }
      e_->AddSite(loc, rule, false, "", -1);
      return;
    }
    const int change = e_->NewChange(loc, rule);
    const bool ok = e_->Replace(
        change, CharSourceRange::getCharRange(src_.EndOfToken(c->getArg(0)->getEndLoc())),
        ", absl::Now()");
    e_->NeedHeader(e_->FileOf(loc), "\"absl/time/clock.h\"");
    Done(loc, rule, change, ok);
  }

  // True when `type` names only declarations visible at namespace scope.
  static bool VisibleAtNamespaceScope(clang::QualType type) {
    if (const clang::CXXRecordDecl* rec = type->getAsCXXRecordDecl()) {
      if (rec->getParentFunctionOrMethod() != nullptr) return false;
      if (const auto* spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec)) {
        for (const clang::TemplateArgument& arg : spec->getTemplateArgs().asArray()) {
          if (arg.getKind() == clang::TemplateArgument::Type &&
              !VisibleAtNamespaceScope(arg.getAsType())) {
            return false;
          }
        }
      }
    }
    return true;
  }

  // ManualInputConfig(input_builder) -> a generated v0.16 PartitionedInput
  // with one partition, read as worker 0 of 1 (as run_main read it), whose
  // state is the builder's state of the last item read.
  void ManualInput011(const clang::CXXConstructExpr* c) {
    const std::string rule = "manual-input";
    const SourceLocation loc = c->getBeginLoc();
    // The spelled class name: `bytewax::inputs::ManualInputConfig(` of a
    // functional cast or a temporary.
    SourceRange type_range;
    if (const auto* tmp = llvm::dyn_cast<clang::CXXTemporaryObjectExpr>(c)) {
      type_range = tmp->getTypeSourceInfo()->getTypeLoc().getSourceRange();
    } else {
      auto parents = ctx_.getParents(*c);
      while (!parents.empty() && type_range.isInvalid()) {
        if (const auto* cast = parents[0].get<clang::CXXFunctionalCastExpr>()) {
          type_range = cast->getTypeInfoAsWritten()->getTypeLoc().getSourceRange();
        } else if (const auto* e = parents[0].get<clang::Expr>()) {
          if (!llvm::isa<clang::ImplicitCastExpr>(e) &&
              !llvm::isa<clang::CXXBindTemporaryExpr>(e) &&
              !llvm::isa<clang::MaterializeTemporaryExpr>(e)) {
            break;
          }
          parents = ctx_.getParents(*e);
        } else {
          break;
        }
      }
    }
    if (type_range.isInvalid() || c->getNumArgs() != 1 || InMacro(c->getSourceRange())) {
      Manual(loc, rule,
             "ManualInputConfig not built as `ManualInputConfig(input_builder)`: write a v0.16 "
             "PartitionedInput by hand");
      return;
    }
    const clang::FunctionDecl* fn = CallableFunction(c->getArg(0));
    const auto* vec = fn == nullptr
                          ? nullptr
                          : llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
                                fn->getReturnType()->getAsCXXRecordDecl());
    if (fn == nullptr || fn->getNumParams() != 3 || vec == nullptr ||
        QualifiedName(vec->getSpecializedTemplate()) != "std::vector") {
      Manual(loc, rule,
             "the input_builder is not a function or lambda returning a std::vector of (state, "
             "item) pairs (a generator): write a v0.16 PartitionedInput whose source's next() "
             "pulls from it by hand");
      return;
    }
    // Sugared types, so the generated code reads as the user's.
    const auto* vec_type = fn->getReturnType()->getAs<clang::TemplateSpecializationType>();
    const auto* pair_type = vec_type == nullptr || vec_type->template_arguments().empty()
                                ? nullptr
                                : vec_type->template_arguments()[0]
                                      .getAsType()
                                      ->getAs<clang::TemplateSpecializationType>();
    if (pair_type == nullptr || pair_type->template_arguments().size() != 2) {
      Manual(loc, rule,
             "cannot read the input_builder's (state, item) types (spell its return type as "
             "std::vector<std::pair<std::optional<S>, X>>)");
      return;
    }
    const clang::QualType state_type = pair_type->template_arguments()[0].getAsType();
    const clang::QualType item_type = pair_type->template_arguments()[1].getAsType();
    if (!VisibleAtNamespaceScope(state_type) || !VisibleAtNamespaceScope(item_type)) {
      Manual(loc, rule,
             "the input's item or state type is local to a function: write a v0.16 "
             "PartitionedInput by hand");
      return;
    }
    const std::string s = PrintType(state_type);
    const std::string x = PrintType(item_type);
    const clang::Decl* top = TopLevelDecl(clang::DynTypedNode::create(*c));
    if (top == nullptr) {
      Manual(loc, rule, "ManualInputConfig outside a function: write a v0.16 PartitionedInput");
      return;
    }
    // The class name, from the builder's name; unique in the file.
    std::string base = "ManualInput";
    if (!llvm::isa<clang::CXXMethodDecl>(fn)) base = CamelCase(fn->getNameAsString()) + "Input";
    const std::string file = e_->FileOf(loc);
    std::set<std::string>& taken = taken_[file];
    if (taken.empty()) {
      const clang::FileID fid = sm_.getFileID(sm_.getExpansionLoc(loc));
      taken = src_.IdentifiersIn(
          SourceRange(sm_.getLocForStartOfFile(fid), sm_.getLocForEndOfFile(fid)));
    }
    std::string name = base;
    for (int n = 1; taken.count(name) != 0; ++n) name = base + std::to_string(n);
    taken.insert(name);
    const std::string pairs = "std::vector<std::pair<" + s + ", " + x + ">>";
    const std::string source = "bytewax::inputs::StatefulSource<" + x + ", " + s + ">";
    const std::string cls =
        "// v0.11's ManualInputConfig(" +
        (llvm::isa<clang::CXXMethodDecl>(fn) ? std::string("a lambda") : fn->getNameAsString()) +
        ") as a v0.16 input: one partition,\n"
        "// read as worker 0 of 1 (as run_main read it), resuming from the state of\n"
        "// the last item read.\n"
        "class " +
        name + " final : public bytewax::inputs::PartitionedInput<" + x + ", " + s +
        "> {\n"
        " public:\n"
        "  using Builder = std::function<" +
        pairs + "(std::size_t, std::size_t, " + s +
        ")>;\n"
        "  explicit " +
        name +
        "(Builder builder) : builder_(std::move(builder)) {}\n"
        "\n"
        "  std::set<std::string> list_parts() override { return {\"0\"}; }\n"
        "\n"
        "  std::unique_ptr<" +
        source +
        "> build_part(\n"
        "      const std::string& /*for_part*/, std::optional<" +
        s +
        "> resume_state) override {\n"
        "    " +
        s + " state = resume_state.value_or(" + s +
        "());\n"
        "    return std::make_unique<Source>(builder_(0, 1, state), state);\n"
        "  }\n"
        "\n"
        " private:\n"
        "  class Source final : public " +
        source +
        " {\n"
        "   public:\n"
        "    Source(" +
        pairs + " items, " + s +
        " state)\n"
        "        : items_(std::move(items)), state_(std::move(state)) {}\n"
        "    std::optional<" +
        x +
        "> next() override {\n"
        "      if (next_ == items_.size()) throw bytewax::inputs::StopIteration();\n"
        "      state_ = items_[next_].first;\n"
        "      return items_[next_++].second;\n"
        "    }\n"
        "    " +
        s +
        " snapshot() override { return state_; }\n"
        "\n"
        "   private:\n"
        "    " +
        pairs +
        " items_;\n"
        "    " +
        s +
        " state_;\n"
        "    std::size_t next_ = 0;\n"
        "  };\n"
        "\n"
        "  Builder builder_;\n"
        "};\n\n";
    const int change = e_->NewChange(loc, rule);
    const SourceLocation at = AboveComments(top);
    bool ok = e_->Replace(change, CharSourceRange::getCharRange(at, at), cls) &&
              e_->Replace(change, CharSourceRange::getTokenRange(type_range), name);
    for (const char* h : {"<cstddef>", "<functional>", "<memory>", "<optional>", "<set>",
                          "<string>", "<utility>", "<vector>", "\"bytewax/inputs.h\""}) {
      e_->NeedHeader(file, h);
    }
    Done(loc, rule, change, ok);
  }

  // bytewax::execution::run_main(flow) -> bytewax::testing::run_main(flow).
  void Function011(const clang::DeclRefExpr* ref) {
    const SourceLocation loc = ref->getLocation();
    if (!e_->IsUserLoc(loc)) return;
    const std::string name = ref->getDecl()->getNameAsString();
    if (name == "distribute") {
      Manual(loc, "no-equivalent",
             "v0.16 has no distribute: list one partition per slice in a PartitionedInput");
      return;
    }
    const std::string rule = "run-main-move";
    if (name != "run_main") {
      Manual(loc, rule,
             name +
                 ": v0.16's cluster_main(flow, addresses, proc_id, epoch_interval, "
                 "recovery_config, worker_count_per_proc) (bytewax/testing.h) replaces it, and "
                 "inputs see partitions instead of workers; rewrite by hand");
      return;
    }
    const clang::CallExpr* call = EnclosingCall(ref);
    unsigned explicit_args = 0;
    if (call != nullptr) {
      for (const clang::Expr* arg : call->arguments()) {
        if (!llvm::isa<clang::CXXDefaultArgExpr>(arg)) ++explicit_args;
      }
    }
    if (call == nullptr || explicit_args != 1) {
      Manual(loc, rule,
             "run_main with an epoch or recovery config: v0.16's run_main(flow, epoch_interval, "
             "recovery_config) takes an absl::Duration; rewrite the call by hand");
      return;
    }
    if (InMacro(ref->getSourceRange())) {
      Manual(loc, rule, "run_main spelled inside a macro");
      return;
    }
    const clang::NestedNameSpecifierLoc qual = ref->getQualifierLoc();
    if (!qual && !llvm::isa<clang::UsingShadowDecl>(ref->getFoundDecl())) {
      Manual(loc, rule,
             "run_main found through a using-directive: call bytewax::testing::run_main");
      return;
    }
    e_->NeedHeader(e_->FileOf(loc), "\"bytewax/testing.h\"");
    if (!qual) {  // the using-declaration is rewritten
      e_->AddSite(loc, rule, false, "", -1);
      return;
    }
    const int change = e_->NewChange(loc, rule);
    const bool ok = e_->Replace(change, CharSourceRange::getTokenRange(qual.getBeginLoc(), loc),
                                "bytewax::testing::run_main");
    Done(loc, rule, change, ok);
  }

  void UsingRunMain011(const clang::UsingDecl* decl) {
    const SourceLocation loc = decl->getLocation();
    if (!e_->IsUserLoc(loc)) return;
    const std::string rule = "run-main-move";
    if (InMacro(decl->getSourceRange()) || !decl->getQualifierLoc()) {
      Manual(loc, rule, "unusual using-declaration of run_main");
      return;
    }
    const int change = e_->NewChange(loc, rule);
    const bool ok =
        e_->Replace(change,
                    CharSourceRange::getTokenRange(decl->getQualifierLoc().getBeginLoc(),
                                                   decl->getNameInfo().getLoc()),
                    "bytewax::testing::run_main");
    e_->NeedHeader(e_->FileOf(loc), "\"bytewax/testing.h\"");
    Done(loc, rule, change, ok);
  }

  // The generated input class replaces every ManualInputConfig, whose
  // name v0.16 no longer declares: its using-declaration goes, line and
  // all. (A file where some ManualInputConfig stays manual is kept on the
  // layer whole, this edit with it.)
  void UsingManualInput011(const clang::UsingDecl* decl) {
    const SourceLocation loc = decl->getLocation();
    if (!e_->IsUserLoc(loc)) return;
    const std::string rule = "manual-input";
    if (InMacro(decl->getSourceRange())) {
      Manual(loc, rule, "using-declaration of ManualInputConfig spelled inside a macro");
      return;
    }
    const clang::FileID fid = sm_.getFileID(decl->getBeginLoc());
    const llvm::StringRef buffer = sm_.getBufferData(fid);
    const unsigned begin = sm_.getFileOffset(decl->getBeginLoc());
    // The declaration's `;` ends the token after its name.
    SourceLocation semi =
        clang::Lexer::findLocationAfterToken(decl->getEndLoc(), clang::tok::semi, sm_, lang_,
                                             /*SkipTrailingWhitespaceAndNewLine=*/false);
    if (semi.isInvalid()) {
      Manual(loc, rule, "unusual using-declaration of ManualInputConfig");
      return;
    }
    unsigned end = sm_.getFileOffset(semi);
    // Alone on its line: the line goes; else only the declaration.
    const size_t line_begin =
        buffer.rfind('\n', begin) == llvm::StringRef::npos ? 0 : buffer.rfind('\n', begin) + 1;
    const bool alone_before =
        buffer.substr(line_begin, begin - line_begin).find_first_not_of(" \t") ==
        llvm::StringRef::npos;
    const size_t newline = buffer.find('\n', end);
    const bool alone_after =
        newline != llvm::StringRef::npos &&
        buffer.substr(end, newline - end).find_first_not_of(" \t") == llvm::StringRef::npos;
    unsigned from = begin;
    if (alone_before && alone_after) {
      from = static_cast<unsigned>(line_begin);
      end = static_cast<unsigned>(newline + 1);
    }
    const SourceLocation start = sm_.getLocForStartOfFile(fid);
    const int change = e_->NewChange(loc, rule);
    const bool ok =
        e_->Replace(change,
                    CharSourceRange::getCharRange(start.getLocWithOffset(static_cast<int>(from)),
                                                  start.getLocWithOffset(static_cast<int>(end))),
                    "");
    Done(loc, rule, change, ok);
  }

  // ---- 0.10 -> 0.11 ----

  void FlowManual(const clang::VarDecl* flow,
                  const std::vector<const clang::CXXMemberCallExpr*>& calls,
                  const std::string& reason) {
    Manual(flow->getLocation(), "v010-run", reason);
    for (const clang::CXXMemberCallExpr* call : calls) {
      Manual(call->getExprLoc(), "v010-run", reason);
    }
  }

  void Flows010(const Collected& found) {
    std::map<const clang::VarDecl*, std::vector<const clang::CXXMemberCallExpr*>> calls;
    std::set<const clang::DeclRefExpr*> objects;
    for (const clang::CXXMemberCallExpr* call : found.calls) {
      if (!e_->IsUserLoc(call->getExprLoc())) continue;
      const clang::VarDecl* var = ObjectVar(call);
      if (var == nullptr || llvm::isa<clang::ParmVarDecl>(var)) {
        Manual(call->getExprLoc(), "v010-run",
               "builder call on a Dataflow that is not a local variable: add its input step and "
               "run it with run_main by hand");
        continue;
      }
      objects.insert(
          llvm::cast<clang::DeclRefExpr>(call->getImplicitObjectArgument()->IgnoreParenImpCasts()));
      calls[var].push_back(call);
    }
    std::map<const clang::VarDecl*, std::vector<const clang::CallExpr*>> runs;
    std::set<const clang::DeclRefExpr*> run_args;
    for (const clang::DeclRefExpr* fn : found.functions) {
      if (!e_->IsUserLoc(fn->getLocation())) continue;
      const clang::CallExpr* call = EnclosingCall(fn);
      const auto* arg =
          call == nullptr || call->getNumArgs() < 2
              ? nullptr
              : llvm::dyn_cast<clang::DeclRefExpr>(call->getArg(0)->IgnoreParenImpCasts());
      const auto* var = arg == nullptr ? nullptr : llvm::dyn_cast<clang::VarDecl>(arg->getDecl());
      if (fn->getDecl()->getName() == "run_cluster" || var == nullptr) {
        Manual(fn->getLocation(), "v010-run",
               fn->getDecl()->getName() == "run_cluster"
                   ? "run_cluster: v0.11 runs a cluster with spawn_cluster, whose workers read "
                     "their own input; rewrite by hand"
                   : "run on a Dataflow that is not a variable: rewrite with run_main by hand");
        continue;
      }
      run_args.insert(arg);
      runs[var].push_back(call);
    }
    std::map<const clang::VarDecl*, std::vector<const clang::DeclRefExpr*>> escapes;
    for (const clang::DeclRefExpr* ref : found.flow_refs) {
      if (!e_->IsUserLoc(ref->getLocation()) || objects.count(ref) != 0 ||
          run_args.count(ref) != 0) {
        continue;
      }
      escapes[llvm::cast<clang::VarDecl>(ref->getDecl())].push_back(ref);
    }
    for (const clang::VarDecl* flow : found.flows) {
      if (!e_->IsUserLoc(flow->getLocation())) continue;
      Flow010(flow, calls[flow], runs[flow], escapes[flow]);
    }
  }

  void Flow010(const clang::VarDecl* flow, std::vector<const clang::CXXMemberCallExpr*> calls,
               const std::vector<const clang::CallExpr*>& runs,
               const std::vector<const clang::DeclRefExpr*>& escapes) {
    SortBySource(sm_, &calls);
    if (llvm::isa<clang::ParmVarDecl>(flow) || !flow->isLocalVarDecl() ||
        flow->getType()->isReferenceType()) {
      FlowManual(flow, calls,
                 "a Dataflow that is not a local variable: v0.11 flows start with an input step "
                 "and are run with run_main; rewrite by hand");
      return;
    }
    if (!escapes.empty()) {
      FlowManual(flow, calls,
                 "the Dataflow is used other than by its methods and run (line " +
                     std::to_string(Line(escapes.front()->getLocation())) +
                     "): add its input step and run it with run_main by hand");
      return;
    }
    if (runs.size() != 1) {
      FlowManual(flow, calls,
                 runs.empty() ? "the flow is not run with run() in the function building it: add "
                                "its input step and run it with run_main by hand"
                              : "the flow is run more than once: rewrite by hand");
      return;
    }
    const clang::CallExpr* run = runs.front();
    const auto* decl_stmt = [&]() -> const clang::DeclStmt* {
      auto parents = ctx_.getParents(*flow);
      return parents.empty() ? nullptr : parents[0].get<clang::DeclStmt>();
    }();
    const clang::CompoundStmt* block =
        decl_stmt == nullptr ? nullptr : ParentCompound(decl_stmt, ctx_);
    const auto* init = llvm::dyn_cast_or_null<clang::CXXConstructExpr>(flow->getInit());
    if (block == nullptr || !decl_stmt->isSingleDecl() || InMacro(decl_stmt->getSourceRange()) ||
        init == nullptr || init->getNumArgs() != 0) {
      FlowManual(flow, calls, "unusual Dataflow declaration: declare it on its own line");
      return;
    }
    // run's result is only read by a range-for over (epoch, item) whose
    // epoch is unused: v0.11 numbers epochs itself.
    const clang::CXXForRangeStmt* loop = nullptr;
    {
      auto parents = ctx_.getParents(*run);
      while (!parents.empty() && loop == nullptr) {
        if (const auto* f = parents[0].get<clang::CXXForRangeStmt>()) {
          loop = f;
        } else if (const auto* e = parents[0].get<clang::Expr>()) {
          parents = ctx_.getParents(*e);
        } else if (const auto* d = parents[0].get<clang::VarDecl>()) {
          parents = ctx_.getParents(*d);  // the range variable
        } else if (const auto* s = parents[0].get<clang::DeclStmt>()) {
          parents = ctx_.getParents(*s);
        } else {
          break;
        }
      }
    }
    const auto* bindings = loop == nullptr
                               ? nullptr
                               : llvm::dyn_cast<clang::DecompositionDecl>(loop->getLoopVariable());
    if (bindings == nullptr || bindings->bindings().size() != 2 ||
        bindings->bindings()[0]->isReferenced() || ParentCompound(loop, ctx_) != block) {
      FlowManual(flow, calls,
                 "run's (epoch, item) results are used other than by a range-for in the flow's "
                 "block that ignores the epoch: v0.11 numbers epochs itself; collect the output "
                 "with a capture and run_main by hand");
      return;
    }
    // The inputs are now read when the flow is built, not when it runs:
    // only the flow's own steps may come in between.
    bool between = false;
    for (const clang::Stmt* s : block->body()) {
      if (s == loop) break;
      if (between) {
        const clang::Expr* e = llvm::dyn_cast<clang::Expr>(s);
        const auto* step =
            e == nullptr ? nullptr : llvm::dyn_cast<clang::CXXMemberCallExpr>(e->IgnoreImplicit());
        if (step == nullptr || ObjectVar(step) != flow) {
          FlowManual(flow, calls,
                     "code between the flow's declaration and run (line " +
                         std::to_string(Line(s->getBeginLoc())) +
                         "): v0.11 reads the inputs in an input step when the flow is built, "
                         "not when it runs; rewrite by hand");
          return;
        }
      }
      if (s == decl_stmt) between = true;
    }
    const auto* callee = llvm::dyn_cast<clang::DeclRefExpr>(run->getCallee()->IgnoreImpCasts());
    if (callee == nullptr || callee->getNumTemplateArgs() != 1 || InMacro(run->getSourceRange()) ||
        InMacro(loop->getSourceRange())) {
      FlowManual(flow, calls, "unusual run call: rewrite with run_main by hand");
      return;
    }
    const std::string out_type = src_.Text(callee->getTemplateArgs()[0].getSourceRange());
    // The inputs move to the input step, right after the flow's
    // declaration: what they name must already be declared there.
    const clang::Expr* inputs = run->getArg(1);
    std::vector<const clang::Stmt*> todo = {inputs};
    while (!todo.empty()) {
      const clang::Stmt* s = todo.back();
      todo.pop_back();
      if (s == nullptr) continue;
      if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(s)) {
        const auto* var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
        if (var != nullptr && var->isLocalVarDecl() &&
            !sm_.isBeforeInTranslationUnit(var->getLocation(), flow->getLocation())) {
          FlowManual(flow, calls,
                     "run's inputs use `" + var->getNameAsString() +
                         "`, declared after the flow: v0.11 takes them in an input step right "
                         "after the flow's declaration; move it up by hand");
          return;
        }
      }
      for (const clang::Stmt* child : s->children()) todo.push_back(child);
    }
    const std::string rule = "v010-run";
    std::set<std::string> ids;
    for (const clang::CXXMemberCallExpr* call : calls) {
      if (call->getNumArgs() > 0) {
        if (const clang::StringLiteral* lit = StringLiteralArg(call->getArg(0))) {
          ids.insert(lit->getString().str());
        }
      }
    }
    const clang::CXXMemberCallExpr* capture = nullptr;
    bool one_epoch = false;
    for (const clang::CXXMemberCallExpr* call : calls) {
      const std::string method = call->getMethodDecl()->getNameAsString();
      if (InMacro(call->getSourceRange())) {
        FlowManual(flow, calls, "a builder call is spelled inside a macro");
        return;
      }
      if (method == "capture") {
        if (capture != nullptr) {
          FlowManual(flow, calls,
                     "more than one capture: v0.11 captures write to outputs of their own; "
                     "rewrite by hand");
          return;
        }
        capture = call;
      } else if (method == "inspect_epoch") {
        FlowManual(flow, calls,
                   "inspect_epoch sees v0.10's input epochs; v0.11 numbers epochs itself: "
                   "rewrite by hand");
        return;
      } else if (method == "stateful_map") {
        const clang::FunctionDecl* builder =
            call->getNumArgs() == 3 ? CallableFunction(call->getArg(1)) : nullptr;
        if (builder == nullptr || builder->getNumParams() != 0) {
          FlowManual(flow, calls,
                     "stateful_map: v0.10 gave the builder the key, v0.11 calls it with no "
                     "arguments; rewrite the builder by hand");
          return;
        }
      } else if (method == "reduce_epoch" || method == "reduce_epoch_local") {
        one_epoch = true;
      }
    }
    if (capture == nullptr) {
      FlowManual(flow, calls, "the flow has no capture: run returned nothing; rewrite by hand");
      return;
    }
    const clang::FunctionDecl* fn =
        llvm::dyn_cast_or_null<clang::FunctionDecl>(flow->getParentFunctionOrMethod());
    if (fn == nullptr || fn->getBody() == nullptr || fn->isDependentContext()) {
      FlowManual(flow, calls, "the flow is built inside a template: rewrite by hand");
      return;
    }
    std::set<std::string>& taken = locals_[fn];
    if (taken.empty()) taken = src_.IdentifiersIn(fn->getBody()->getSourceRange());
    std::string out_var = flow->getNameAsString() + "_output";
    for (int n = 1; taken.count(out_var) != 0; ++n) {
      out_var = flow->getNameAsString() + "_output_" + std::to_string(n);
    }
    taken.insert(out_var);

    const std::string file = e_->FileOf(flow->getLocation());
    const std::string indent = src_.IndentOf(decl_stmt->getBeginLoc());
    const std::string name = flow->getNameAsString();
    const int change = e_->NewChange(flow->getLocation(), rule);
    bool ok = true;
    if (helper_files_.count(file) == 0) {
      const clang::Decl* top = TopLevelDecl(clang::DynTypedNode::create(*flow));
      const SourceLocation at = top == nullptr ? SourceLocation() : AboveComments(top);
      ok = at.isValid() &&
           e_->Replace(
               change, CharSourceRange::getCharRange(at, at),
               "// v0.10's run took (epoch, item) pairs; a v0.11 input takes the items and\n"
               "// numbers epochs itself. reduce_epoch became one window over the whole run,\n"
               "// which is what it computed on an input of one epoch: one_epoch refuses\n"
               "// several rather than merging them.\n"
               "template <class X>\n"
               "std::vector<X> ItemsOfV010Epochs(std::vector<std::pair<std::uint64_t, X>> "
               "pairs, bool one_epoch) {\n"
               "  std::vector<X> items;\n"
               "  for (auto& [epoch, item] : pairs) {\n"
               "    if (one_epoch && epoch != pairs.front().first) {\n"
               "      throw std::invalid_argument(\n"
               "          \"the input spans several epochs, but the flow was migrated from "
               "v0.10 for one (reduce_epoch became one window): split it by epoch\");\n"
               "    }\n"
               "    items.push_back(std::move(item));\n"
               "  }\n"
               "  return items;\n"
               "}\n\n");
      helper_files_.insert(file);
    }
    // The output vector before the flow, the input step right after it.
    const std::string input_id = NewId(&ids, "input");
    ok = ok &&
         e_->Replace(
             change,
             CharSourceRange::getCharRange(decl_stmt->getBeginLoc(), decl_stmt->getBeginLoc()),
             "std::vector<" + out_type + "> " + out_var + ";\n" + indent) &&
         e_->Replace(change,
                     CharSourceRange::getCharRange(src_.EndOfToken(decl_stmt->getEndLoc()),
                                                   src_.EndOfToken(decl_stmt->getEndLoc())),
                     "\n" + indent + name + ".input(\"" + input_id +
                         "\", bytewax::inputs::TestingInputConfig(ItemsOfV010Epochs(" +
                         src_.Text(inputs->getSourceRange()) + ", " +
                         (one_epoch ? "true" : "false") + ")));");
    for (const clang::CXXMemberCallExpr* call : calls) {
      const std::string method = call->getMethodDecl()->getNameAsString();
      const auto* member = llvm::dyn_cast<clang::MemberExpr>(call->getCallee()->IgnoreParens());
      std::optional<clang::Token> lparen =
          member == nullptr ? std::nullopt
                            : clang::Lexer::findNextToken(member->getMemberLoc(), sm_, lang_);
      if (!lparen || !lparen->is(clang::tok::l_paren)) {
        ok = false;
        break;
      }
      const SourceLocation after = lparen->getEndLoc();
      if (method == "capture") {
        ok = ok && e_->Replace(change, CharSourceRange::getCharRange(after, after),
                               "bytewax::outputs::TestingOutputConfig(" + out_var + ")");
      } else if (method == "reduce_epoch" || method == "reduce_epoch_local") {
        // One worker (run): reduce_epoch_local is reduce_epoch. The window
        // holds the whole run, as the one epoch held the whole input.
        ok = ok &&
             e_->Replace(
                 change,
                 CharSourceRange::getTokenRange(member->getMemberLoc(), member->getMemberLoc()),
                 "reduce_window") &&
             e_->Replace(change, CharSourceRange::getCharRange(after, after),
                         "\"" + NewId(&ids, method) +
                             "\", bytewax::window::SystemClockConfig(), "
                             "bytewax::window::TumblingWindowConfig(absl::Hours(24 * 365)), ");
      }
    }
    // run(flow, inputs) -> run_main(flow) before the loop, which reads the
    // captured items.
    const std::string item_name = bindings->bindings()[1]->getNameAsString();
    std::optional<clang::Token> rsquare =
        clang::Lexer::findNextToken(bindings->bindings()[1]->getLocation(), sm_, lang_);
    // `[` is the token before the first binding.
    SourceLocation lsquare;
    {
      const SourceLocation first = bindings->bindings()[0]->getLocation();
      const clang::FileID fid = sm_.getFileID(first);
      llvm::StringRef buffer = sm_.getBufferData(fid);
      size_t at = sm_.getFileOffset(first);
      while (at > 0 && buffer[at - 1] != '[') --at;
      if (at > 0)
        lsquare = sm_.getLocForStartOfFile(fid).getLocWithOffset(static_cast<int>(at - 1));
    }
    ok = ok && rsquare && rsquare->is(clang::tok::r_square) && lsquare.isValid() &&
         e_->Replace(change, CharSourceRange::getCharRange(lsquare, rsquare->getEndLoc()),
                     item_name) &&
         e_->Replace(change, CharSourceRange::getTokenRange(run->getSourceRange()), out_var) &&
         e_->Replace(
             change, CharSourceRange::getCharRange(loop->getBeginLoc(), loop->getBeginLoc()),
             "bytewax::execution::run_main(" + name + ");\n" + src_.IndentOf(loop->getBeginLoc()));
    for (const char* h :
         {"\"bytewax/dataflow.h\"", "\"bytewax/execution.h\"", "\"bytewax/inputs.h\"",
          "\"bytewax/outputs.h\"", "<cstdint>", "<stdexcept>", "<utility>", "<vector>"}) {
      e_->NeedHeader(file, h);
    }
    if (one_epoch) {
      e_->NeedHeader(file, "\"bytewax/window.h\"");
      e_->NeedHeader(file, "\"absl/time/time.h\"");
    }
    if (!ok) {
      e_->DropLastChange();
      FlowManual(flow, calls, "overlapping edits");
      return;
    }
    e_->AddSite(flow->getLocation(), rule, false, "", change);
    for (const clang::CXXMemberCallExpr* call : calls) {
      const std::string method = call->getMethodDecl()->getNameAsString();
      if (method == "reduce_epoch" || method == "reduce_epoch_local") {
        e_->AddSite(call->getExprLoc(), "reduce-epoch", false, "", -1);
      }
    }
    e_->AddSite(run->getBeginLoc(), rule, false, "", -1);
  }

  clang::ASTContext& ctx_;
  const clang::SourceManager& sm_;
  const clang::LangOptions& lang_;
  const internal::SourceReader src_;
  const VersionStep& step_;
  const std::string ns_;  // "bytewax::v0_11::"
  OldStepEdits* e_;
  std::map<const clang::VarDecl*, std::set<std::string>> ids_;
  std::map<std::string, std::set<std::string>> taken_;  // file -> identifiers
  std::map<const clang::FunctionDecl*, std::set<std::string>> locals_;
  std::set<std::string> helper_files_;
};

}  // namespace

void RunOldStepRules(clang::ASTContext& ctx, const VersionStep& step, OldStepEdits* edits) {
  Rules(ctx, step, edits).Run();
}

}  // namespace migrate_tool
