#include "migrate_tool/migrator.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "migrate_tool/ast_text.h"
#include "migrate_tool/kafka_rule.h"
#include "migrate_tool/old_steps.h"
#include "third_party/llvm/clang_resource_dir.h"

namespace migrate_tool {
namespace {

namespace am = clang::ast_matchers;
using clang::CharSourceRange;
using clang::SourceLocation;
using clang::SourceRange;
using internal::CallableExpr;
using internal::CallableFunction;
using internal::InMacro;
using internal::ParentCompound;
using internal::QualifiedName;
using internal::QuoteCpp;
using internal::Snake;
using internal::StringLiteralArg;

bool IsKeyword(const std::string& word) {
  static const std::set<std::string> kKeywords = {
      "and",      "auto",     "bool",    "break",     "case",    "catch",     "char",   "class",
      "const",    "continue", "default", "delete",    "do",      "double",    "else",   "enum",
      "explicit", "export",   "extern",  "false",     "float",   "for",       "friend", "goto",
      "if",       "inline",   "int",     "long",      "mutable", "namespace", "new",    "not",
      "operator", "or",       "private", "protected", "public",  "register",  "return", "short",
      "signed",   "sizeof",   "static",  "struct",    "switch",  "template",  "this",   "throw",
      "true",     "try",      "typedef", "typename",  "union",   "unsigned",  "using",  "virtual",
      "void",     "volatile", "while",   "xor",       "flow",    "op",        "std"};
  return kKeywords.count(word) != 0;
}

// The old-API declarations the step's rules name, by qualified name with
// the layer's inline namespace ("bytewax::v0_17::inputs::StatefulSource").
struct NameTable {
  std::map<std::string, const RenameRule*> renames;
  std::string dataflow;
  std::string run_main;
  std::string cluster_main;
  std::string cli_main;
  std::string stop_iteration_old;
  std::string stop_iteration_new;
  std::map<std::string, std::string> io_bases;  // qualified IO base -> kind
};

NameTable MakeNames(const VersionStep& step) {
  NameTable t;
  const std::string ns = "bytewax::" + step.layer_ns + "::";
  for (const RenameRule& r : step.renames) t.renames[ns + r.old_name] = &r;
  t.dataflow = ns + "dataflow::Dataflow";
  t.run_main = ns + "testing::run_main";
  t.cluster_main = ns + "testing::cluster_main";
  t.cli_main = ns + "run::cli_main";
  t.stop_iteration_old = ns + "inputs::StopIteration";
  t.stop_iteration_new = "bytewax::v0_18::inputs::StopIteration";
  t.io_bases[ns + "inputs::StatefulSource"] = "stateful";
  t.io_bases[ns + "inputs::StatelessSource"] = "stateless";
  t.io_bases[ns + "inputs::PartitionedInput"] = "partitioned";
  t.io_bases[ns + "inputs::DynamicInput"] = "dynamic";
  t.io_bases[ns + "connectors::periodic::SimplePollingInput"] = "polling";
  t.io_bases[ns + "outputs::PartitionedOutput"] = "partitioned_output";
  t.io_bases[ns + "outputs::DynamicOutput"] = "dynamic_output";
  t.io_bases[ns + "outputs::StatefulSink"] = "stateful_sink";
  t.io_bases[ns + "outputs::StatelessSink"] = "stateless_sink";
  return t;
}

// Everything the matchers found in one translation unit.
struct Found {
  std::vector<const clang::VarDecl*> flows;
  std::vector<const clang::CXXMemberCallExpr*> calls;
  std::vector<const clang::DeclRefExpr*> flow_refs;
  std::vector<const clang::CXXMethodDecl*> methods;
  std::vector<const clang::ParmVarDecl*> flow_params;
  std::vector<const clang::CXXMethodDecl*> io_methods;  // 0.16 IO overrides
  std::vector<const clang::CXXConstructExpr*> csv_inputs;
  std::vector<const clang::CXXConstructExpr*> testing_inputs;
};

class FoundCallback : public am::MatchFinder::MatchCallback {
 public:
  explicit FoundCallback(Found* found) : found_(found) {}
  void run(const am::MatchFinder::MatchResult& result) override {
    if (const auto* v = result.Nodes.getNodeAs<clang::VarDecl>("flow")) {
      if (const auto* p = llvm::dyn_cast<clang::ParmVarDecl>(v)) {
        found_->flow_params.push_back(p);
      } else {
        found_->flows.push_back(v);
      }
    }
    if (const auto* c = result.Nodes.getNodeAs<clang::CXXMemberCallExpr>("call")) {
      found_->calls.push_back(c);
    }
    if (const auto* r = result.Nodes.getNodeAs<clang::DeclRefExpr>("ref")) {
      found_->flow_refs.push_back(r);
    }
    if (const auto* m = result.Nodes.getNodeAs<clang::CXXMethodDecl>("method")) {
      found_->methods.push_back(m);
    }
    if (const auto* m = result.Nodes.getNodeAs<clang::CXXMethodDecl>("io_method")) {
      found_->io_methods.push_back(m);
    }
    if (const auto* c = result.Nodes.getNodeAs<clang::CXXConstructExpr>("csv")) {
      found_->csv_inputs.push_back(c);
    }
    if (const auto* c = result.Nodes.getNodeAs<clang::CXXConstructExpr>("testing_input")) {
      found_->testing_inputs.push_back(c);
    }
  }

 private:
  Found* found_;
};

// One `#include` of a user file.
struct IncludeSeen {
  std::string file;  // the including file
  CharSourceRange filename_range;
  std::string spelled;  // "bytewax/connectors/periodic.h"
  bool angled = false;
  std::string resolved;  // real path of the included file
};

class IncludeRecorder : public clang::PPCallbacks {
 public:
  IncludeRecorder(const clang::SourceManager& sm, std::vector<IncludeSeen>* out)
      : sm_(sm), out_(out) {}
  void InclusionDirective(SourceLocation hash_loc, const clang::Token& /*include_tok*/,
                          llvm::StringRef file_name, bool is_angled, CharSourceRange filename_range,
                          clang::OptionalFileEntryRef file, llvm::StringRef /*search_path*/,
                          llvm::StringRef /*relative_path*/,
                          const clang::Module* /*suggested_module*/, bool /*module_imported*/,
                          clang::SrcMgr::CharacteristicKind /*file_type*/) override {
    IncludeSeen seen;
    const clang::FileID fid = sm_.getFileID(sm_.getExpansionLoc(hash_loc));
    if (auto entry = sm_.getFileEntryRefForID(fid)) seen.file = entry->getName().str();
    seen.filename_range = filename_range;
    seen.spelled = file_name.str();
    seen.angled = is_angled;
    if (file) seen.resolved = file->getName().str();
    out_->push_back(std::move(seen));
  }

 private:
  const clang::SourceManager& sm_;
  std::vector<IncludeSeen>* out_;
};

std::string RealPath(llvm::StringRef path) {
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(path, real)) return path.str();
  return std::string(real.str());
}

// The per-translation-unit engine: runs the matchers over the user's
// declarations and turns what they found into sites and changes.
class Engine {
 public:
  Engine(clang::ASTContext& ctx, const VersionStep& step,
         const std::function<bool(llvm::StringRef)>& is_user_file,
         const std::vector<IncludeSeen>& includes, TuResult* out)
      : ctx_(ctx),
        sm_(ctx.getSourceManager()),
        lang_(ctx.getLangOpts()),
        src_(sm_, lang_),
        step_(step),
        names_(MakeNames(step)),
        is_user_file_(is_user_file),
        includes_(includes),
        out_(out) {}

  void Run() {
    std::vector<clang::Decl*> scope;
    for (clang::Decl* decl : ctx_.getTranslationUnitDecl()->decls()) {
      if (IsUserLoc(decl->getLocation())) scope.push_back(decl);
    }
    const clang::FileID main = sm_.getMainFileID();
    if (auto entry = sm_.getFileEntryRefForID(main)) {
      main_file_ = RealPath(entry->getName());
      out_->user_files.push_back(main_file_);
    }
    for (const IncludeSeen& inc : includes_) {
      const std::string real = RealPath(inc.resolved);
      if (!inc.resolved.empty() && is_user_file_(real) &&
          std::find(out_->user_files.begin(), out_->user_files.end(), real) ==
              out_->user_files.end()) {
        out_->user_files.push_back(real);
      }
    }
    ctx_.setTraversalScope(scope);

    Found found;
    FoundCallback callback(&found);
    am::MatchFinder finder;
    using namespace am;  // NOLINT(google-build-using-namespace): matcher DSL
    const auto flow_type = hasUnqualifiedDesugaredType(
        recordType(hasDeclaration(cxxRecordDecl(hasName("::" + names_.dataflow)))));
    finder.addMatcher(
        varDecl(hasType(qualType(anyOf(flow_type, references(flow_type))))).bind("flow"),
        &callback);
    finder.addMatcher(
        // By the object's type: the layer may declare the builder methods in
        // a shared base class (compat_internal::LegacyDataflow).
        cxxMemberCallExpr(on(expr(hasType(qualType(anyOf(flow_type, pointsTo(flow_type)))))))
            .bind("call"),
        &callback);
    finder.addMatcher(declRefExpr(to(varDecl(hasType(qualType(flow_type))))).bind("ref"),
                      &callback);
    const std::string ns = "::bytewax::" + step_.layer_ns + "::";
    if (HasCodeRule("next-batch")) {
      finder.addMatcher(
          cxxMethodDecl(hasAnyName("next", "list_parts", "assign_part", "write", "build_part"),
                        ofClass(cxxRecordDecl(isDerivedFrom(cxxRecordDecl(hasAnyName(
                            ns + "inputs::StatefulSource", ns + "inputs::StatelessSource",
                            ns + "inputs::PartitionedInput", ns + "outputs::PartitionedOutput",
                            ns + "outputs::StatefulSink", ns + "outputs::StatelessSink"))))))
              .bind("io_method"),
          &callback);
    }
    if (HasCodeRule("csv-batch-size")) {
      finder.addMatcher(cxxConstructExpr(hasDeclaration(cxxConstructorDecl(
                                             ofClass(hasName(ns + "connectors::files::CSVInput")))))
                            .bind("csv"),
                        &callback);
    }
    if (HasCodeRule("testing-input-batch")) {
      finder.addMatcher(cxxConstructExpr(hasDeclaration(cxxConstructorDecl(
                                             ofClass(hasName(ns + "testing::TestingInput")))))
                            .bind("testing_input"),
                        &callback);
    }
    if (HasCodeRule("source-now-sched")) {
      finder.addMatcher(
          cxxMethodDecl(
              anyOf(hasName("next_batch"), hasName("build_part"), hasName("build"),
                    hasName("next_item")),
              ofClass(cxxRecordDecl(isDerivedFrom(cxxRecordDecl(
                  anyOf(hasName("::bytewax::" + step_.layer_ns + "::inputs::Input"),
                        hasName("::bytewax::" + step_.layer_ns + "::inputs::StatefulSource"),
                        hasName("::bytewax::" + step_.layer_ns + "::inputs::StatelessSource")))))))
              .bind("method"),
          &callback);
    }
    finder.matchAST(ctx_);

    for (const IncludeSeen& inc : includes_) ApplyIncludeRules(inc);
    RenameVisitor renamer(this);
    for (clang::Decl* decl : scope) renamer.TraverseDecl(decl);
    MovedNamespaceAliasRule();

    if (HasCodeRule("builder")) {
      for (const clang::ParmVarDecl* p : found.flow_params) {
        AddSite(p->getLocation(), "builder", Outcome::kManual,
                "a Dataflow passed to a function: the steps it adds cannot be chained "
                "automatically; rewrite with bytewax::operators by hand",
                -1);
      }
      FlowRules(found);
      KafkaLeftovers();
    }
    for (const clang::CXXMethodDecl* m : found.methods) SourceMethodRule(m);
    for (const clang::CXXMethodDecl* m : found.io_methods) IoMethodRule016(m);
    if (HasCodeRule("inspect-epoch-offset")) {
      for (const clang::CXXMemberCallExpr* call : found.calls) InspectEpochRule016(call);
    }
    for (const clang::CXXConstructExpr* c : found.csv_inputs) CsvInputRule016(c);
    for (const clang::CXXConstructExpr* c : found.testing_inputs) TestingInputRule016(c);
    OldStepsAdapter old_steps(this);
    RunOldStepRules(ctx_, step_, &old_steps);
  }

 private:
  friend class RenameVisitor;

  // The rules of the 0.10 and 0.11 steps (old_steps.h) edit through this.
  class OldStepsAdapter final : public OldStepEdits {
   public:
    explicit OldStepsAdapter(Engine* engine) : e_(engine) {}
    bool IsUserLoc(SourceLocation loc) override { return e_->IsUserLoc(loc); }
    std::string FileOf(SourceLocation loc) override { return e_->FileOf(loc); }
    int NewChange(SourceLocation loc, const std::string& rule) override {
      return e_->NewChange(loc, rule);
    }
    void DropLastChange() override { e_->out_->changes.pop_back(); }
    bool Replace(int change, CharSourceRange range, const std::string& text) override {
      return e_->Replace(change, range, text);
    }
    void AddSite(SourceLocation loc, const std::string& rule, bool manual,
                 const std::string& reason, int change) override {
      e_->AddSite(loc, rule, manual ? Outcome::kManual : Outcome::kMigrated, reason, change);
    }
    void NeedHeader(const std::string& file, const std::string& header) override {
      e_->NeedHeader(file, header);
    }

   private:
    Engine* e_;
  };

  class RenameVisitor : public clang::RecursiveASTVisitor<RenameVisitor> {
   public:
    explicit RenameVisitor(Engine* engine) : engine_(engine) {}
    bool VisitElaboratedTypeLoc(clang::ElaboratedTypeLoc tl) {
      if (NamespaceQualifier(tl.getQualifierLoc())) {
        qualifier_begin_[tl.getNamedTypeLoc().getBeginLoc().getRawEncoding()] =
            tl.getQualifierLoc().getBeginLoc();
      }
      return true;
    }
    // `ns::Base<X>::Base` spells the namespaces as the prefix of a
    // qualifier, not as an elaborated type: they move with the class too.
    bool TraverseNestedNameSpecifierLoc(clang::NestedNameSpecifierLoc loc) {
      if (loc &&
          loc.getNestedNameSpecifier()->getKind() == clang::NestedNameSpecifier::NamespaceAlias) {
        engine_->alias_uses_[loc.getNestedNameSpecifier()->getAsNamespaceAlias()].push_back(
            loc.getLocalBeginLoc());
      }
      if (loc && loc.getTypeLoc() && NamespaceQualifier(loc.getPrefix())) {
        qualifier_begin_[loc.getTypeLoc().getBeginLoc().getRawEncoding()] =
            loc.getPrefix().getBeginLoc();
      }
      return clang::RecursiveASTVisitor<RenameVisitor>::TraverseNestedNameSpecifierLoc(loc);
    }
    bool VisitNamespaceAliasDecl(clang::NamespaceAliasDecl* decl) {
      engine_->aliases_.push_back(decl);
      return true;
    }
    bool VisitUsingDirectiveDecl(clang::UsingDirectiveDecl* decl) {
      engine_->directives_.push_back(decl);
      return true;
    }
    bool VisitRecordTypeLoc(clang::RecordTypeLoc tl) {
      engine_->RenameType(tl.getDecl(), tl.getNameLoc(), Qualifier(tl.getBeginLoc()));
      return true;
    }
    bool VisitTemplateSpecializationTypeLoc(clang::TemplateSpecializationTypeLoc tl) {
      const clang::TemplateDecl* decl = tl.getTypePtr()->getTemplateName().getAsTemplateDecl();
      engine_->RenameType(decl, tl.getTemplateNameLoc(), Qualifier(tl.getBeginLoc()));
      return true;
    }
    bool VisitDeducedTemplateSpecializationTypeLoc(clang::DeducedTemplateSpecializationTypeLoc tl) {
      const clang::TemplateName name = tl.getTypePtr()->getTemplateName();
      if (const clang::UsingShadowDecl* shadow = name.getAsUsingShadowDecl()) {
        if (engine_->RenameType(shadow, tl.getTemplateNameLoc(), Qualifier(tl.getBeginLoc()))) {
          return true;
        }
      }
      engine_->RenameType(name.getAsTemplateDecl(), tl.getTemplateNameLoc(),
                          Qualifier(tl.getBeginLoc()));
      return true;
    }
    bool VisitUsingTypeLoc(clang::UsingTypeLoc tl) {
      // The layer may declare an old name as a using-declaration (the
      // window configs): the shadow carries the old qualified name.
      if (!engine_->RenameType(tl.getFoundDecl(), tl.getNameLoc(), Qualifier(tl.getBeginLoc()))) {
        engine_->RenameType(tl.getFoundDecl()->getTargetDecl(), tl.getNameLoc(),
                            Qualifier(tl.getBeginLoc()));
      }
      return true;
    }
    bool VisitUsingDecl(clang::UsingDecl* decl) {
      for (const clang::UsingShadowDecl* shadow : decl->shadows()) {
        const clang::NamespaceDecl* from =
            decl->getQualifier() == nullptr ? nullptr : decl->getQualifier()->getAsNamespace();
        // `using bytewax::window::TumblingWindow;` names the layer's own
        // using-declaration, whose shadow the target does not remember.
        const clang::NamedDecl* named = shadow->getTargetDecl();
        if (from != nullptr) {
          for (const clang::NamedDecl* d : from->lookup(decl->getDeclName())) {
            if (llvm::isa<clang::UsingShadowDecl>(d)) named = d;
          }
        }
        SourceLocation qualifier = NamespaceQualifier(decl->getQualifierLoc())
                                       ? decl->getQualifierLoc().getBeginLoc()
                                       : SourceLocation();
        if (!engine_->RenameType(named, decl->getNameInfo().getLoc(), qualifier) &&
            named != shadow->getTargetDecl()) {
          engine_->RenameType(shadow->getTargetDecl(), decl->getNameInfo().getLoc(), qualifier);
        }
        break;
      }
      return true;
    }

   private:
    // Only a qualifier naming namespaces moves with the renamed class. One
    // ending in a class (`Derived::SimplePollingInput`, `Base<X>::Base`)
    // reaches the name as an injected-class-name without template
    // arguments: rewriting it as `bytewax::inputs::SimplePollingSource`
    // would lose them, while the class qualifier still finds the new name.
    static bool NamespaceQualifier(clang::NestedNameSpecifierLoc loc) {
      const clang::NestedNameSpecifier* nns = loc.getNestedNameSpecifier();
      if (nns == nullptr) return false;
      switch (nns->getKind()) {
        case clang::NestedNameSpecifier::Namespace:
        case clang::NestedNameSpecifier::NamespaceAlias:
        case clang::NestedNameSpecifier::Global:
          return true;
        default:
          return false;
      }
    }
    SourceLocation Qualifier(SourceLocation begin) const {
      auto it = qualifier_begin_.find(begin.getRawEncoding());
      return it == qualifier_begin_.end() ? SourceLocation() : it->second;
    }
    Engine* engine_;
    std::map<clang::SourceLocation::UIntTy, SourceLocation> qualifier_begin_;
  };

  bool HasCodeRule(const std::string& rule) const {
    return std::find(step_.code_rules.begin(), step_.code_rules.end(), rule) !=
           step_.code_rules.end();
  }

  // ---- locations and text ----

  bool IsUserLoc(SourceLocation loc) {
    if (loc.isInvalid()) return false;
    const clang::FileID fid = sm_.getFileID(sm_.getExpansionLoc(loc));
    auto it = user_file_cache_.find(fid.getHashValue());
    if (it == user_file_cache_.end()) {
      std::string user;
      if (auto entry = sm_.getFileEntryRefForID(fid)) {
        std::string real = RealPath(entry->getName());
        if (is_user_file_(real)) user = real;
      }
      it = user_file_cache_.emplace(fid.getHashValue(), user).first;
    }
    return !it->second.empty();
  }

  std::string FileOf(SourceLocation loc) {
    IsUserLoc(loc);
    const clang::FileID fid = sm_.getFileID(sm_.getExpansionLoc(loc));
    return user_file_cache_[fid.getHashValue()];
  }

  // ---- reporting ----

  int AddSite(SourceLocation loc, const std::string& rule, Outcome outcome,
              const std::string& reason, int change) {
    Site site;
    const SourceLocation at = sm_.getExpansionLoc(loc);
    site.file = FileOf(at);
    if (site.file.empty()) return -1;
    site.offset = sm_.getFileOffset(at);
    site.line = sm_.getExpansionLineNumber(at);
    site.column = sm_.getExpansionColumnNumber(at);
    site.rule = rule;
    site.outcome = outcome;
    site.reason = reason;
    site.change = change;
    const std::string key = site.file + ":" + std::to_string(site.offset) + ":" + rule;
    if (!site_keys_.insert(key).second) return -1;
    out_->sites.push_back(std::move(site));
    return static_cast<int>(out_->sites.size()) - 1;
  }

  int NewChange(SourceLocation loc, const std::string& rule) {
    const SourceLocation at = sm_.getExpansionLoc(loc);
    out_->changes.emplace_back(
        FileOf(at), rule + "@" + FileOf(at) + ":" + std::to_string(sm_.getFileOffset(at)));
    return static_cast<int>(out_->changes.size()) - 1;
  }

  // Adds `text` replacing `range` to change `index`; false on a clash.
  bool Replace(int index, CharSourceRange range, const std::string& text) {
    llvm::Error err = out_->changes[index].replace(sm_, range, text);
    if (err) {
      llvm::consumeError(std::move(err));
      return false;
    }
    return true;
  }
  bool Insert(int index, SourceLocation loc, const std::string& text) {
    return Replace(index, CharSourceRange::getCharRange(loc, loc), text);
  }

  void NeedHeader(const std::string& file, const std::string& header) {
    if (provided_.count(file + "\n" + header) != 0) return;
    auto& list = out_->headers[file];
    if (std::find(list.begin(), list.end(), header) == list.end()) list.push_back(header);
  }

  // ---- renames (io-rename, connector-rename, window-move, periodic-move) ----

  // True when `decl` is an old name of the step's rules (site reported).
  bool RenameType(const clang::NamedDecl* decl, SourceLocation name_loc,
                  SourceLocation qualifier_begin) {
    if (decl == nullptr || !IsUserLoc(name_loc)) return false;
    auto it = names_.renames.find(QualifiedName(decl));
    if (it == names_.renames.end()) return false;
    const RenameRule& rule = *it->second;
    if (rule.rule == kKafkaRule) {
      // Renaming alone would change the stream's item type: the flow
      // rule rewrites the steps, and KafkaLeftovers reports the rest.
      kafka_refs_.push_back(name_loc);
      return true;
    }
    if (name_loc.isMacroID() || qualifier_begin.isMacroID()) {
      AddSite(
          name_loc, rule.rule, Outcome::kManual,
          "spelled inside a macro: rename " + rule.old_name + " to " + rule.new_name + " by hand",
          -1);
      return true;
    }
    const auto old_ns = llvm::StringRef(rule.old_name).rsplit("::").first;
    const auto new_split = llvm::StringRef(rule.new_name).rsplit("::");
    const int change = NewChange(name_loc, rule.rule);
    const CharSourceRange name_range = CharSourceRange::getTokenRange(name_loc, name_loc);
    bool ok = true;
    // A qualified name whose namespace moved gets the new qualified name;
    // an unqualified one (found through a using-declaration, which is
    // rewritten too, or a base's injected name) the new simple name.
    if (old_ns != new_split.first && qualifier_begin.isValid()) {
      ok = Replace(change, CharSourceRange::getTokenRange(qualifier_begin, name_loc),
                   "bytewax::" + rule.new_name);
      if (ok) requalified_.insert(qualifier_begin.getRawEncoding());
    } else if (src_.Text(name_range) != new_split.second) {
      ok = Replace(change, name_range, new_split.second.str());
    }
    if (!rule.new_header.empty()) NeedHeader(FileOf(name_loc), '"' + rule.new_header + '"');
    AddSite(name_loc, rule.rule, ok ? Outcome::kMigrated : Outcome::kManual,
            ok ? "" : "overlapping edits", change);
    return true;
  }

  void ApplyIncludeRules(const IncludeSeen& inc) {
    if (inc.file.empty() || !is_user_file_(RealPath(inc.file))) return;
    for (const IncludeRule& rule : step_.includes) {
      if (inc.spelled != rule.old_include) continue;
      // Only the layer's own header (a user header of that name stays).
      const std::string resolved = RealPath(inc.resolved);
      if (resolved.find("/" + step_.layer_dir + "/") == std::string::npos) continue;
      const SourceLocation loc = inc.filename_range.getBegin();
      if (loc.isMacroID()) {
        AddSite(loc, rule.rule, Outcome::kManual, "include spelled by a macro", -1);
        continue;
      }
      provided_.insert(RealPath(inc.file) + "\n\"" + rule.new_include + "\"");
      const int change = NewChange(loc, rule.rule);
      const bool ok =
          Replace(change, inc.filename_range,
                  inc.angled ? "<" + rule.new_include + ">" : "\"" + rule.new_include + "\"");
      AddSite(loc, rule.rule, ok ? Outcome::kMigrated : Outcome::kManual,
              ok ? "" : "overlapping edits", change);
    }
  }

  // ---- user sources: now / sched parameters, optional batches ----

  // The kind of old IO base `method` overrides a method of, or "".
  std::string OverriddenIoKind(const clang::CXXMethodDecl* method) {
    for (const clang::CXXMethodDecl* base : method->overridden_methods()) {
      const clang::CXXRecordDecl* parent = base->getParent();
      if (const clang::ClassTemplateDecl* tmpl = parent->getDescribedClassTemplate()) {
        auto it = names_.io_bases.find(QualifiedName(tmpl));
        if (it != names_.io_bases.end()) return it->second;
      }
      auto it = names_.io_bases.find(QualifiedName(parent));
      if (it != names_.io_bases.end()) return it->second;
      if (auto* spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(parent)) {
        auto jt = names_.io_bases.find(QualifiedName(spec->getSpecializedTemplate()));
        if (jt != names_.io_bases.end()) return jt->second;
      }
      std::string deeper = OverriddenIoKind(base);
      if (!deeper.empty()) return deeper;
    }
    return "";
  }

  void SourceMethodRule(const clang::CXXMethodDecl* method) {
    if (!IsUserLoc(method->getLocation())) return;
    const std::string kind = OverriddenIoKind(method);
    if (kind.empty()) return;
    const std::string name = method->getNameAsString();
    const std::string rule = "source-now-sched";
    if (method->getParent()->isDependentContext() || method->isTemplateInstantiation()) {
      AddSite(method->getLocation(), rule, Outcome::kManual,
              "source method of a class template: add the v0.18 parameters by hand", -1);
      return;
    }
    const clang::FunctionTypeLoc ftl = method->getFunctionTypeLoc();
    if (!ftl || InMacro(method->getSourceRange()) || ftl.getLParenLoc().isMacroID()) {
      AddSite(method->getLocation(), rule, Outcome::kManual, "declaration spelled inside a macro",
              -1);
      return;
    }
    const std::string file = FileOf(method->getLocation());
    const int change = NewChange(method->getLocation(), rule);
    bool ok = true;
    std::string reason;
    if (name == "next_batch" && (kind == "stateful" || kind == "stateless")) {
      const SourceRange ret = method->getReturnTypeSourceRange();
      const std::string ret_text = src_.Text(ret);
      ok = ok && method->getNumParams() == 0 && ret.isValid() && !ret_text.empty();
      if (ok) {
        ok = Insert(change, ret.getBegin(), "std::optional<") &&
             Insert(change, src_.EndOfToken(ret.getEnd()), ">") &&
             Insert(change, src_.EndOfToken(ftl.getLParenLoc()),
                    kind == "stateful" ? "std::optional<absl::Time> /*sched*/"
                                       : "absl::Time /*sched*/");
      }
      if (ok && method->doesThisDeclarationHaveABody()) {
        ok = RewriteBatchBody(method->getBody(), ret_text, change, &reason);
      }
      NeedHeader(file, "<optional>");
      NeedHeader(file, "\"absl/time/time.h\"");
    } else if ((name == "build_part" && kind == "partitioned") ||
               (name == "build" && kind == "dynamic")) {
      if (method->getNumParams() == 0) {
        ok = false;
      } else {
        ok = Insert(change, method->getParamDecl(0)->getBeginLoc(), "absl::Time /*now*/, ");
      }
      NeedHeader(file, "\"absl/time/time.h\"");
    } else if (name == "next_item" && kind == "polling") {
      const SourceRange ret = method->getReturnTypeSourceRange();
      ok = ret.isValid() && Insert(change, ret.getBegin(), "std::optional<") &&
           Insert(change, src_.EndOfToken(ret.getEnd()), ">");
      NeedHeader(file, "<optional>");
    } else {
      out_->changes.pop_back();
      return;
    }
    if (!ok && reason.empty()) reason = "unexpected declaration shape: edit by hand";
    AddSite(method->getLocation(), rule, ok ? Outcome::kMigrated : Outcome::kManual, reason,
            ok ? change : -1);
  }

  // In a next_batch body: `throw StopIteration()` -> `return std::nullopt`,
  // `return {...}` -> `return <batch type>{...}` (`{}` is an empty batch,
  // not the end).
  bool RewriteBatchBody(const clang::Stmt* body, const std::string& ret_text, int change,
                        std::string* reason) {
    bool ok = true;
    std::vector<const clang::Stmt*> todo = {body};
    while (!todo.empty() && ok) {
      const clang::Stmt* s = todo.back();
      todo.pop_back();
      if (s == nullptr || llvm::isa<clang::LambdaExpr>(s) || llvm::isa<clang::DeclStmt>(s)) {
        if (const auto* ds = llvm::dyn_cast_or_null<clang::DeclStmt>(s)) {
          for (const clang::Decl* d : ds->decls()) {
            if (const auto* vd = llvm::dyn_cast<clang::VarDecl>(d)) {
              if (vd->getInit() != nullptr) todo.push_back(vd->getInit());
            }
          }
        }
        continue;
      }
      if (const auto* ret = llvm::dyn_cast<clang::ReturnStmt>(s)) {
        const clang::Expr* value = ret->getRetValue();
        // Any braced batch, not only `{}`: an optional is not
        // copy-list-initialized from the batch's elements.
        const std::string text = value == nullptr ? "" : src_.Text(value->getSourceRange());
        if (llvm::StringRef(text).starts_with("{")) {
          if (InMacro(value->getSourceRange())) {
            *reason = "`return {...}` inside a macro";
            return false;
          }
          ok = Replace(change, CharSourceRange::getTokenRange(value->getSourceRange()),
                       ret_text + text);
        }
        continue;
      }
      if (const auto* thr = llvm::dyn_cast<clang::CXXThrowExpr>(s)) {
        const clang::Expr* sub = thr->getSubExpr();
        const clang::CXXRecordDecl* thrown =
            sub == nullptr ? nullptr : sub->getType()->getAsCXXRecordDecl();
        const std::string q = QualifiedName(thrown);
        if (q == names_.stop_iteration_new || q == names_.stop_iteration_old) {
          if (!IsStatement(thr) || InMacro(thr->getSourceRange())) {
            *reason = "StopIteration thrown inside an expression: return std::nullopt by hand";
            return false;
          }
          ok = Replace(change, CharSourceRange::getTokenRange(thr->getSourceRange()),
                       "return std::nullopt");
          continue;
        }
      }
      for (const clang::Stmt* child : s->children()) todo.push_back(child);
    }
    if (!ok) *reason = "overlapping edits";
    return ok;
  }

  // True when `e` is a whole expression statement.
  bool IsStatement(const clang::Expr* e) {
    auto parents = ctx_.getParents(*e);
    while (!parents.empty()) {
      if (const auto* p = parents[0].get<clang::Expr>()) {
        if (llvm::isa<clang::ExprWithCleanups>(p)) {
          parents = ctx_.getParents(*p);
          continue;
        }
        return false;
      }
      return parents[0].get<clang::Stmt>() != nullptr;
    }
    return false;
  }

  // ---- 0.16 -> 0.17: item-at-a-time IO methods become batch methods ----

  // The type `fn`'s parameter `index` takes, as the user spelled it, without
  // reference or const ("std::string" for `const std::string& x`); "" when
  // it cannot be read (macro, auto).
  std::string ParamValueType(const clang::FunctionDecl* fn, unsigned index) {
    if (fn == nullptr || fn->getNumParams() <= index) return "";
    const clang::TypeSourceInfo* tsi = fn->getParamDecl(index)->getTypeSourceInfo();
    if (tsi == nullptr) return "";
    clang::TypeLoc tl = tsi->getTypeLoc();
    if (auto ref = tl.getAs<clang::ReferenceTypeLoc>()) tl = ref.getPointeeLoc();
    if (auto q = tl.getAs<clang::QualifiedTypeLoc>()) tl = q.getUnqualifiedLoc();
    if (InMacro(tl.getSourceRange())) return "";
    std::string text = src_.Text(tl.getSourceRange());
    if (text == "auto") return "";
    return text;
  }

  // The template arguments of `tl` if it spells std::<name><...>.
  static std::optional<clang::TemplateSpecializationTypeLoc> StdTemplate(clang::TypeLoc tl,
                                                                         llvm::StringRef name) {
    auto spec = tl.getAsAdjusted<clang::TemplateSpecializationTypeLoc>();
    if (!spec) return std::nullopt;
    const clang::TemplateDecl* decl = spec.getTypePtr()->getTemplateName().getAsTemplateDecl();
    if (decl == nullptr || !decl->isInStdNamespace() || decl->getName() != name) {
      return std::nullopt;
    }
    return spec;
  }

  static bool IsStdRecord(clang::QualType type, llvm::StringRef name) {
    const clang::CXXRecordDecl* rec = type->getAsCXXRecordDecl();
    return rec != nullptr && rec->isInStdNamespace() && rec->getName() == name;
  }

  // Every return statement of `body`, outside lambdas and local classes.
  static std::vector<const clang::ReturnStmt*> Returns(const clang::Stmt* body) {
    std::vector<const clang::ReturnStmt*> out;
    std::vector<const clang::Stmt*> todo = {body};
    while (!todo.empty()) {
      const clang::Stmt* s = todo.back();
      todo.pop_back();
      if (s == nullptr || llvm::isa<clang::LambdaExpr>(s) || llvm::isa<clang::DeclStmt>(s)) {
        continue;
      }
      if (const auto* ret = llvm::dyn_cast<clang::ReturnStmt>(s)) out.push_back(ret);
      for (const clang::Stmt* child : s->children()) todo.push_back(child);
    }
    std::sort(out.begin(), out.end(), [](const clang::ReturnStmt* a, const clang::ReturnStmt* b) {
      return a->getBeginLoc() < b->getBeginLoc();
    });
    return out;
  }

  // The expression an implicit conversion to `to` (a class) was made from
  // (`return item;` in a function returning std::optional<X>), or nullptr.
  static const clang::Expr* ImplicitlyConverted(const clang::Expr* e, clang::QualType to) {
    e = e->IgnoreImplicit();
    const auto* ctor = llvm::dyn_cast<clang::CXXConstructExpr>(e);
    if (ctor == nullptr || llvm::isa<clang::CXXTemporaryObjectExpr>(ctor) ||
        ctor->getParenOrBraceRange().isValid() || ctor->getNumArgs() != 1 ||
        ctor->getType().getCanonicalType().getUnqualifiedType() !=
            to.getCanonicalType().getUnqualifiedType()) {
      return nullptr;
    }
    return ctor->getArg(0)->IgnoreImplicit();
  }

  // The position just past the `;` ending `stmt`, or invalid.
  SourceLocation AfterSemi(const clang::Stmt* stmt) const {
    return clang::Lexer::findLocationAfterToken(stmt->getEndLoc(), clang::tok::semi, sm_, lang_,
                                                false);
  }

  // Removes the `override` of `method`'s declaration (with the blank before
  // it): the method stays as the user's own helper.
  bool RemoveOverride(const clang::CXXMethodDecl* method, int change) {
    const auto* attr = method->getAttr<clang::OverrideAttr>();
    if (attr == nullptr) return true;
    SourceLocation begin = attr->getLocation();
    if (begin.isMacroID()) return false;
    const char* before = sm_.getCharacterData(begin.getLocWithOffset(-1));
    if (*before == ' ') begin = begin.getLocWithOffset(-1);
    return Replace(change,
                   CharSourceRange::getCharRange(begin, src_.EndOfToken(attr->getLocation())), "");
  }

  void IoMethodRule016(const clang::CXXMethodDecl* method) {
    if (!IsUserLoc(method->getLocation())) return;
    const std::string kind = OverriddenIoKind(method);
    const std::string name = method->getNameAsString();
    std::string rule;
    if (name == "next" && (kind == "stateful" || kind == "stateless")) {
      rule = "next-batch";
    } else if (name == "list_parts" && (kind == "partitioned" || kind == "partitioned_output")) {
      rule = "list-parts-vector";
    } else if (name == "assign_part" && kind == "partitioned_output") {
      rule = "part-fn";
    } else if (name == "write" && (kind == "stateful_sink" || kind == "stateless_sink")) {
      rule = "write-batch";
    } else if (name == "build_part" && kind == "partitioned") {
      rule = "build-part-nullptr";
    } else {
      return;
    }
    if (method->getParent()->isDependentContext() || method->isTemplateInstantiation()) {
      AddSite(method->getLocation(), rule, Outcome::kManual,
              "IO method of a class template: rewrite it to its v0.17 shape by hand", -1);
      return;
    }
    const clang::FunctionTypeLoc ftl = method->getFunctionTypeLoc();
    if (!ftl || InMacro(method->getSourceRange())) {
      AddSite(method->getLocation(), rule, Outcome::kManual, "declaration spelled inside a macro",
              -1);
      return;
    }
    const std::string file = FileOf(method->getLocation());
    const int change = NewChange(method->getLocation(), rule);
    std::string reason;
    bool ok = true;
    if (rule == "next-batch") {
      ok = NextToNextBatch(method, ftl, change, &reason);
      NeedHeader(file, "<vector>");
    } else if (rule == "list-parts-vector") {
      ok = ListPartsToVector(method, ftl, change, &reason);
      NeedHeader(file, "<vector>");
    } else if (rule == "part-fn") {
      ok = AssignPartToPartFn(method, change, &reason);
      for (const char* h : {"<algorithm>", "<cstddef>", "<string>", "<vector>"})
        NeedHeader(file, h);
    } else if (rule == "write-batch") {
      ok = WriteToWriteBatch(method, kind, change, &reason);
      for (const char* h : {"<utility>", "<vector>"}) NeedHeader(file, h);
    } else {
      // build_part: only a `return nullptr;` needs an edit.
      if (!method->doesThisDeclarationHaveABody() ||
          !BuildPartNullptr(method, ftl, change, &reason)) {
        if (reason.empty()) {
          out_->changes.pop_back();
          return;
        }
        ok = false;
      } else {
        for (const char* h : {"<memory>", "<vector>"}) NeedHeader(file, h);
      }
    }
    if (!ok && reason.empty()) reason = "overlapping edits";
    AddSite(method->getLocation(), rule, ok ? Outcome::kMigrated : Outcome::kManual, reason,
            ok ? change : -1);
  }

  // std::optional<X> next() -> std::vector<X> next_batch(): an item becomes
  // a one-element batch, std::nullopt an empty one; StopIteration stays.
  bool NextToNextBatch(const clang::CXXMethodDecl* method, clang::FunctionTypeLoc ftl, int change,
                       std::string* reason) {
    const auto optional = StdTemplate(ftl.getReturnLoc(), "optional");
    if (!optional || optional->getNumArgs() != 1) {
      *reason = "next() does not spell its return type as std::optional<X>: edit by hand";
      return false;
    }
    const std::string item = src_.Text(optional->getArgLoc(0).getSourceRange());
    const auto* spec = llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
        method->getReturnType()->getAsCXXRecordDecl());
    if (spec == nullptr || spec->getTemplateArgs().size() != 1) {
      *reason = "unexpected next() return type: edit by hand";
      return false;
    }
    const clang::QualType item_type = spec->getTemplateArgs()[0].getAsType();
    const std::string vector_of_item = "std::vector<" + item + ">";
    if (!Replace(change, CharSourceRange::getTokenRange(ftl.getReturnLoc().getSourceRange()),
                 "std::vector<" + item + ">") ||
        !Replace(change, CharSourceRange::getTokenRange(method->getLocation()), "next_batch")) {
      return false;
    }
    if (!method->doesThisDeclarationHaveABody()) return true;
    for (const clang::ReturnStmt* ret : Returns(method->getBody())) {
      const clang::Expr* value = ret->getRetValue();
      if (value == nullptr) continue;
      const std::string text = src_.Text(value->getSourceRange());
      if (text == "{}") continue;  // nullopt then, an empty batch now
      if (InMacro(value->getSourceRange())) {
        *reason = "a return of next() is spelled inside a macro";
        return false;
      }
      const clang::Expr* from = ImplicitlyConverted(value, method->getReturnType());
      if (from == nullptr || IsStdRecord(from->getType(), "optional")) {
        *reason = "next() returns a std::optional it did not build from an item (line " +
                  std::to_string(sm_.getExpansionLineNumber(ret->getBeginLoc())) +
                  "): return a std::vector<" + item + "> by hand";
        return false;
      }
      // The batch type is spelled out: v0.18's next_batch returns
      // std::optional<std::vector<X>>, which a bare `{item}` would not build.
      std::string batch = "{}";
      if (!IsStdRecord(from->getType(), "nullopt_t")) {
        // A braced batch would reject a narrowing conversion.
        const bool narrows = item_type->isArithmeticType() &&
                             from->getType().getCanonicalType().getUnqualifiedType() !=
                                 item_type.getCanonicalType().getUnqualifiedType();
        batch = vector_of_item;
        batch += narrows ? "{static_cast<" + item + ">(" : "{";
        batch += text;
        batch += narrows ? ")}" : "}";
      }
      if (!Replace(change, CharSourceRange::getTokenRange(value->getSourceRange()), batch)) {
        return false;
      }
    }
    return true;
  }

  // std::set<std::string> list_parts() -> std::vector<std::string>: v0.16
  // listed every partition on every worker, v0.17 the partitions this worker
  // can read; listing all of them stays right (each is assigned one worker).
  bool ListPartsToVector(const clang::CXXMethodDecl* method, clang::FunctionTypeLoc ftl, int change,
                         std::string* reason) {
    const auto set = StdTemplate(ftl.getReturnLoc(), "set");
    if (!set || set->getNumArgs() != 1) {
      *reason = "list_parts() does not spell its return type as std::set<std::string>";
      return false;
    }
    const std::string elem = src_.Text(set->getArgLoc(0).getSourceRange());
    const std::string vector_of_elem = "std::vector<" + elem + ">";
    if (!Replace(change, CharSourceRange::getTokenRange(ftl.getReturnLoc().getSourceRange()),
                 vector_of_elem)) {
      return false;
    }
    if (!method->doesThisDeclarationHaveABody()) return true;
    for (const clang::ReturnStmt* ret : Returns(method->getBody())) {
      const clang::Expr* value = ret->getRetValue();
      if (value == nullptr) continue;
      const std::string line = std::to_string(sm_.getExpansionLineNumber(ret->getBeginLoc()));
      if (InMacro(value->getSourceRange())) {
        *reason = "a return of list_parts() is spelled inside a macro";
        return false;
      }
      // A local set: its elements, in the set's (sorted) order.
      const clang::Expr* inner = value->IgnoreImplicit();
      if (const auto* ctor = llvm::dyn_cast<clang::CXXConstructExpr>(inner)) {
        if (ctor->getNumArgs() == 1 && !ctor->isListInitialization()) {
          inner = ctor->getArg(0)->IgnoreImplicit();
        }
      }
      if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(inner->IgnoreParenImpCasts())) {
        if (llvm::isa<clang::VarDecl>(ref->getDecl())) {
          const std::string var = src_.Text(ref->getSourceRange());
          std::string elements = vector_of_elem;
          elements.append("(").append(var).append(".begin(), ").append(var).append(".end())");
          if (!Replace(change, CharSourceRange::getTokenRange(value->getSourceRange()), elements)) {
            return false;
          }
          continue;
        }
      }
      // A braced list of literals already sorted and unique means the same
      // list as a vector.
      const std::string text = src_.Text(value->getSourceRange());
      std::vector<std::string> literals;
      bool all_literals = !text.empty() && text.front() == '{';
      std::vector<const clang::Stmt*> todo = {value};
      const clang::InitListExpr* list = nullptr;
      while (!todo.empty() && list == nullptr) {
        const clang::Stmt* s = todo.back();
        todo.pop_back();
        if (s == nullptr) continue;
        list = llvm::dyn_cast<clang::InitListExpr>(s);
        for (const clang::Stmt* child : s->children()) todo.push_back(child);
      }
      if (all_literals && list != nullptr) {
        for (const clang::Expr* init : list->inits()) {
          const clang::StringLiteral* lit = StringLiteralArg(init);
          if (lit == nullptr) {
            all_literals = false;
            break;
          }
          literals.push_back(lit->getString().str());
        }
      }
      const bool sorted_unique = std::adjacent_find(literals.begin(), literals.end(),
                                                    [](const std::string& a, const std::string& b) {
                                                      return a >= b;
                                                    }) == literals.end();
      if (all_literals && (list != nullptr || text == "{}") && sorted_unique) continue;
      *reason =
          "list_parts() returns a set that is neither a local variable nor a sorted list "
          "of literals (line " +
          line + "): return a std::vector by hand";
      return false;
    }
    return true;
  }

  // assign_part(key) -> part_fn(key): v0.17 picks the partition at index
  // part_fn(key) of the sorted partition list. assign_part stays as the
  // user's own method, called by the generated part_fn.
  bool AssignPartToPartFn(const clang::CXXMethodDecl* method, int change, std::string* reason) {
    if (method->isOutOfLine()) return true;  // the in-class declaration gets the edit
    const clang::CXXMethodDecl* in_class = method;
    const clang::Stmt* body =
        in_class->doesThisDeclarationHaveABody() ? in_class->getBody() : nullptr;
    const SourceLocation end =
        body != nullptr ? src_.EndOfToken(body->getEndLoc())
                        : clang::Lexer::findLocationAfterToken(in_class->getEndLoc(),
                                                               clang::tok::semi, sm_, lang_, false);
    if (end.isInvalid() || in_class->getNumParams() != 1) {
      *reason = "unexpected assign_part declaration: write part_fn by hand";
      return false;
    }
    const std::string key = in_class->getParamDecl(0)->getName().empty()
                                ? "item_key"
                                : in_class->getParamDecl(0)->getNameAsString();
    const std::string in = src_.IndentOfCharBefore(in_class->getBeginLoc());
    const std::string text =
        "\n\n" + in + "// v0.17 picks the partition at index part_fn(key) of the sorted list.\n" +
        in + "std::size_t part_fn(const std::string& " + key + ") override {\n" + in +
        "  std::vector<std::string> parts = list_parts();\n" + in +
        "  std::sort(parts.begin(), parts.end());\n" + in + "  return static_cast<std::size_t>(\n" +
        in + "      std::lower_bound(parts.begin(), parts.end(), assign_part(" + key +
        ")) - parts.begin());\n" + in + "}";
    return RemoveOverride(in_class, change) && Insert(change, end, text);
  }

  // write(item) -> write_batch(items): write stays as the user's own method,
  // called for each item of the batch.
  bool WriteToWriteBatch(const clang::CXXMethodDecl* method, const std::string& kind, int change,
                         std::string* reason) {
    if (method->isOutOfLine()) return true;
    const std::string item = ParamValueType(method, 0);
    const clang::Stmt* body = method->doesThisDeclarationHaveABody() ? method->getBody() : nullptr;
    const SourceLocation end = body != nullptr
                                   ? src_.EndOfToken(body->getEndLoc())
                                   : clang::Lexer::findLocationAfterToken(
                                         method->getEndLoc(), clang::tok::semi, sm_, lang_, false);
    if (item.empty() || end.isInvalid() || method->getNumParams() != 1) {
      *reason = "cannot read the type write() takes: write write_batch by hand";
      return false;
    }
    const bool stateful = kind == "stateful_sink";
    const std::string batch = stateful ? "values" : "items";
    const std::string one = stateful ? "value" : "item";
    const std::string in = src_.IndentOfCharBefore(method->getBeginLoc());
    const std::string text = "\n\n" + in + "void write_batch(std::vector<" + item + "> " + batch +
                             ") override {\n" + in + "  for (" + item + "& " + one + " : " + batch +
                             ") write(std::move(" + one + "));\n" + in + "}";
    return RemoveOverride(method, change) && Insert(change, end, text);
  }

  // build_part's `return nullptr;` (v0.16: no partition here) -> a
  // partition that ends at once: v0.17 needs a source for every partition.
  // False with an empty reason when there is nothing to do.
  bool BuildPartNullptr(const clang::CXXMethodDecl* method, clang::FunctionTypeLoc ftl, int change,
                        std::string* reason) {
    std::vector<const clang::ReturnStmt*> nulls;
    for (const clang::ReturnStmt* ret : Returns(method->getBody())) {
      const clang::Expr* value = ret->getRetValue();
      if (value == nullptr) continue;
      const clang::Expr* from = ImplicitlyConverted(value, method->getReturnType());
      if (from != nullptr &&
          from->IgnoreParenImpCasts()->isNullPointerConstant(
              ctx_, clang::Expr::NPC_ValueDependentIsNotNull) != clang::Expr::NPCK_NotNull) {
        nulls.push_back(ret);
      }
    }
    if (nulls.empty()) return false;
    const auto unique = StdTemplate(ftl.getReturnLoc(), "unique_ptr");
    auto source = unique ? unique->getArgLoc(0)
                               .getTypeSourceInfo()
                               ->getTypeLoc()
                               .getAsAdjusted<clang::TemplateSpecializationTypeLoc>()
                         : clang::TemplateSpecializationTypeLoc();
    if (!source || source.getNumArgs() != 2) {
      *reason =
          "build_part returns nullptr and its return type is not spelled "
          "std::unique_ptr<StatefulSource<X, S>>: return a source that ends at once by hand";
      return false;
    }
    const std::string base = src_.Text(unique->getArgLoc(0).getSourceRange());
    const std::string item = src_.Text(source.getArgLoc(0).getSourceRange());
    const std::string state = src_.Text(source.getArgLoc(1).getSourceRange());
    // Indented by the return statement's indentation below.
    const std::string ended_partition =
        "{\n  // v0.17 builds a source for every partition: one that ends at once;\n"
        "  // resuming passes its snapshot back as the state.\n"
        "  struct EndedPartition final : " +
        base + " {\n    std::vector<" + item +
        "> next_batch() override { throw bytewax::inputs::StopIteration(); }\n    " + state +
        " snapshot() override { return " + state +
        "(); }\n  };\n  return std::make_unique<EndedPartition>();\n}";
    for (const clang::ReturnStmt* ret : nulls) {
      const SourceLocation semi = AfterSemi(ret);
      if (semi.isInvalid() || InMacro(ret->getSourceRange())) {
        *reason = "unusual `return nullptr` in build_part: edit by hand";
        return false;
      }
      const std::string in = src_.IndentOfCharBefore(ret->getBeginLoc());
      std::string block = ended_partition;
      for (size_t pos = block.find('\n'); pos != std::string::npos;
           pos = block.find('\n', pos + 1 + in.size())) {
        block.insert(pos + 1, in);
      }
      if (!Replace(change, CharSourceRange::getCharRange(ret->getBeginLoc(), semi), block)) {
        return false;
      }
    }
    return true;
  }

  // flow.inspect_epoch(f): v0.16 numbered epochs from 0, v0.17 from 1; a
  // wrapper keeps what f sees.
  void InspectEpochRule016(const clang::CXXMemberCallExpr* call) {
    if (!IsUserLoc(call->getExprLoc()) || call->getMethodDecl()->getName() != "inspect_epoch" ||
        call->getNumArgs() != 1) {
      return;
    }
    const std::string rule = "inspect-epoch-offset";
    const clang::Expr* arg = call->getArg(0);
    const std::string item = ParamValueType(CallableFunction(arg), 1);
    const std::string text = src_.Text(CharSourceRange::getTokenRange(arg->getSourceRange()));
    if (InMacro(arg->getSourceRange()) || item.empty() || text.empty()) {
      AddSite(call->getExprLoc(), rule, Outcome::kManual,
              "v0.17 numbers epochs from 1, v0.16 from 0: cannot read the inspector's item type "
              "to wrap it; subtract 1 from the epoch by hand",
              -1);
      return;
    }
    const int change = NewChange(call->getExprLoc(), rule);
    const bool ok = Replace(change, CharSourceRange::getTokenRange(arg->getSourceRange()),
                            "[inspector = " + text + "](std::uint64_t epoch, " + item +
                                " item) mutable { inspector(epoch - 1, item); }");
    NeedHeader(FileOf(call->getExprLoc()), "<cstdint>");
    AddSite(call->getExprLoc(), rule, ok ? Outcome::kMigrated : Outcome::kManual,
            ok ? "" : "overlapping edits", ok ? change : -1);
  }

  // TestingInput(items): the v0.16 layer gathers up to 1024 items a batch
  // (as it does for every v0.16 source), v0.17's TestingInput emits
  // batch_size items a batch (default 1); spelling the size out keeps the
  // order in which steps see the items.
  void TestingInputRule016(const clang::CXXConstructExpr* ctor) {
    if (!IsUserLoc(ctor->getBeginLoc()) || ctor->getNumArgs() != 1 ||
        ctor->getParenOrBraceRange().isInvalid()) {
      return;
    }
    const std::string rule = "testing-input-batch";
    const SourceLocation end = ctor->getParenOrBraceRange().getEnd();
    if (ctor->isListInitialization()) {
      // `TestingInput<X>{a, b}`: a size added there would be one more item.
      AddSite(ctor->getBeginLoc(), rule, Outcome::kManual,
              "TestingInput built with braces: write TestingInput<X>({...}, 1024) by hand (the "
              "v0.16 layer gathers up to 1024 items a batch)",
              -1);
      return;
    }
    if (end.isMacroID() || InMacro(ctor->getArg(0)->getSourceRange())) {
      AddSite(ctor->getBeginLoc(), rule, Outcome::kManual,
              "TestingInput spelled inside a macro: pass the batch size 1024 by hand", -1);
      return;
    }
    const int change = NewChange(ctor->getBeginLoc(), rule);
    const bool ok =
        Insert(change, src_.EndOfToken(ctor->getArg(0)->getEndLoc()), ", /*batch_size=*/1024");
    AddSite(ctor->getBeginLoc(), rule, ok ? Outcome::kMigrated : Outcome::kManual,
            ok ? "" : "overlapping edits", ok ? change : -1);
  }

  // CSVInput(path, delimiter...) / CSVInput(path, format): v0.17 takes the
  // batch size second (v0.16 read 1000 lines at a time).
  void CsvInputRule016(const clang::CXXConstructExpr* ctor) {
    if (!IsUserLoc(ctor->getBeginLoc()) || ctor->getNumArgs() < 2 ||
        llvm::isa<clang::CXXDefaultArgExpr>(ctor->getArg(1))) {
      return;
    }
    const std::string rule = "csv-batch-size";
    const clang::Expr* second = ctor->getArg(1);
    if (InMacro(second->getSourceRange())) {
      AddSite(ctor->getBeginLoc(), rule, Outcome::kManual,
              "CSVInput arguments spelled inside a macro: insert the batch size 1000 by hand", -1);
      return;
    }
    const int change = NewChange(ctor->getBeginLoc(), rule);
    const bool ok = Insert(change, second->getBeginLoc(), "/*batch_size=*/1000, ");
    AddSite(ctor->getBeginLoc(), rule, ok ? Outcome::kMigrated : Outcome::kManual,
            ok ? "" : "overlapping edits", ok ? change : -1);
  }

  // ---- the builder: flow.x(...) -> op::x("step_id", stream, ...) ----

  struct Step {
    const clang::CXXMemberCallExpr* call;
    const BuilderRule* rule;
    std::string method;
  };

  const BuilderRule* FindBuilderRule(const std::string& method) const {
    for (const BuilderRule& r : step_.builder) {
      if (r.method == method) return &r;
    }
    return nullptr;
  }

  const clang::DeclStmt* DeclStmtOf(const clang::VarDecl* var) {
    auto parents = ctx_.getParents(*var);
    if (parents.empty()) return nullptr;
    return parents[0].get<clang::DeclStmt>();
  }

  // The step id generated from a callable: its name, or the method's.
  static std::string IdFromCallable(const clang::Expr* e, const std::string& method) {
    e = CallableExpr(e);
    if (const auto* uo = llvm::dyn_cast<clang::UnaryOperator>(e)) {
      e = uo->getSubExpr()->IgnoreParenImpCasts();
    }
    if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e)) {
      return Snake(ref->getDecl()->getName());
    }
    return method;
  }

  // The value type a reducer takes, as the user spelled it.
  std::string ReducerValueType(const clang::Expr* reducer) {
    const clang::FunctionDecl* fn = CallableFunction(reducer);
    if (fn == nullptr || fn->getNumParams() != 2) return "";
    return ParamValueType(fn, 0);
  }

  void FlowManual(const clang::VarDecl* var, const std::vector<Step>& steps,
                  const std::string& reason) {
    AddSite(var->getLocation(), "flow-id", Outcome::kManual, reason, -1);
    for (const Step& s : steps) {
      AddSite(s.call->getExprLoc(), "builder", Outcome::kManual, reason, -1);
      // The reason covers a Kafka connector in the step too.
      kafka_accounted_.push_back(s.call->getSourceRange());
    }
  }

  void FlowRules(const Found& found) {
    std::map<const clang::VarDecl*, std::vector<Step>> steps;
    std::set<const clang::DeclRefExpr*> call_objects;
    for (const clang::CXXMemberCallExpr* call : found.calls) {
      if (!IsUserLoc(call->getExprLoc())) continue;
      const clang::Expr* obj = call->getImplicitObjectArgument()->IgnoreParenImpCasts();
      const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(obj);
      const auto* var = ref == nullptr ? nullptr : llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
      const std::string method = call->getMethodDecl()->getNameAsString();
      if (var == nullptr || llvm::isa<clang::ParmVarDecl>(var)) {
        AddSite(call->getExprLoc(), "builder", Outcome::kManual,
                "builder call on a Dataflow that is not a local variable (" + method +
                    "): rewrite with bytewax::operators by hand",
                -1);
        continue;
      }
      call_objects.insert(ref);
      steps[var].push_back({call, FindBuilderRule(method), method});
    }
    std::map<const clang::VarDecl*, std::vector<const clang::DeclRefExpr*>> escapes;
    for (const clang::DeclRefExpr* ref : found.flow_refs) {
      if (call_objects.count(ref) != 0 || !IsUserLoc(ref->getLocation())) continue;
      const auto* var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
      if (IsRunArgument(ref)) continue;
      escapes[var].push_back(ref);
    }
    std::set<std::string> flow_ids;
    std::set<const clang::CompoundStmt*> aliased;
    for (const clang::VarDecl* var : found.flows) {
      if (!IsUserLoc(var->getLocation())) continue;
      std::vector<Step>& list = steps[var];
      std::sort(list.begin(), list.end(), [this](const Step& a, const Step& b) {
        return sm_.isBeforeInTranslationUnit(a.call->getBeginLoc(), b.call->getBeginLoc());
      });
      MigrateFlow(var, list, escapes[var], &flow_ids, &aliased);
    }
  }

  bool IsRunArgument(const clang::DeclRefExpr* ref) {
    auto parents = ctx_.getParents(*ref);
    while (!parents.empty()) {
      if (const auto* call = parents[0].get<clang::CallExpr>()) {
        const clang::FunctionDecl* fn = call->getDirectCallee();
        const std::string q = QualifiedName(fn);
        // cli_main(argc, argv, flow) takes the flow last.
        const unsigned at = q == names_.cli_main ? 2 : 0;
        return (q == names_.run_main || q == names_.cluster_main || q == names_.cli_main) &&
               call->getNumArgs() > at && call->getArg(at)->IgnoreParenImpCasts() == ref;
      }
      if (const auto* e = parents[0].get<clang::Expr>()) {
        if (llvm::isa<clang::ImplicitCastExpr>(e) ||
            llvm::isa<clang::MaterializeTemporaryExpr>(e)) {
          parents = ctx_.getParents(*e);
          continue;
        }
      }
      return false;
    }
    return false;
  }

  void MigrateFlow(const clang::VarDecl* var, const std::vector<Step>& steps,
                   const std::vector<const clang::DeclRefExpr*>& escapes,
                   std::set<std::string>* flow_ids, std::set<const clang::CompoundStmt*>* aliased) {
    const auto* fn = llvm::dyn_cast_or_null<clang::FunctionDecl>(var->getParentFunctionOrMethod());
    if (fn == nullptr || !var->isLocalVarDecl() || fn->getBody() == nullptr) {
      FlowManual(var, steps, "the Dataflow is not a local variable of a function");
      return;
    }
    if (fn->isDependentContext() || fn->isTemplateInstantiation()) {
      FlowManual(var, steps,
                 "the flow is built inside a template (its steps may depend on a template "
                 "parameter): rewrite with bytewax::operators by hand");
      return;
    }
    if (!escapes.empty()) {
      const SourceLocation at = escapes.front()->getLocation();
      FlowManual(var, steps,
                 "the Dataflow is used other than by its builder methods and run_main (line " +
                     std::to_string(sm_.getExpansionLineNumber(at)) +
                     "): rewrite with bytewax::operators by hand");
      return;
    }
    const clang::DeclStmt* decl_stmt = DeclStmtOf(var);
    const clang::CompoundStmt* block =
        decl_stmt == nullptr ? nullptr : ParentCompound(decl_stmt, ctx_);
    if (block == nullptr || !decl_stmt->isSingleDecl() || InMacro(decl_stmt->getSourceRange())) {
      FlowManual(var, steps, "unusual Dataflow declaration: declare it on its own line");
      return;
    }
    const auto* init = llvm::dyn_cast_or_null<clang::CXXConstructExpr>(var->getInit());
    if (init == nullptr || init->getNumArgs() != 0 ||
        var->getInitStyle() != clang::VarDecl::CallInit) {
      FlowManual(var, steps, "the Dataflow is not default-constructed");
      return;
    }
    for (const Step& s : steps) {
      if (s.rule == nullptr) {
        FlowManual(var, steps, "Dataflow::" + s.method + " has no v0.18 equivalent");
        return;
      }
      if (InMacro(s.call->getSourceRange())) {
        FlowManual(var, steps, "a builder call is spelled inside a macro");
        return;
      }
      if (ParentCompound(s.call, ctx_) != block) {
        FlowManual(var, steps,
                   "builder call `" + s.method +
                       "` is not a statement of the block declaring the flow (inside a branch "
                       "or loop, or used as a value): the chain is not linear; rewrite by hand");
        return;
      }
    }
    if (steps.empty() || steps.front().method != "input") {
      FlowManual(var, steps, "the flow does not start with `input`");
      return;
    }
    const std::string file = FileOf(var->getLocation());
    // Shared by every flow of the function: two flows built in one body
    // must not declare the same stream variable twice.
    std::set<std::string>& taken = taken_[fn];
    if (taken.empty()) taken = src_.IdentifiersIn(fn->getBody()->getSourceRange());
    std::set<std::string> user_ids;
    for (const Step& s : steps) {
      if (s.rule->has_step_id && s.call->getNumArgs() > 0) {
        if (const clang::StringLiteral* lit = StringLiteralArg(s.call->getArg(0))) {
          user_ids.insert(lit->getString().str());
        }
      }
    }
    std::set<std::string> used_ids = user_ids;
    auto gen_id = [&used_ids](const std::string& base) {
      std::string id = base;
      for (int n = 1; used_ids.count(id) != 0; ++n) id = base + "_" + std::to_string(n);
      used_ids.insert(id);
      return id;
    };
    auto gen_var = [&taken](const std::string& base) {
      std::string name = Snake(base);
      if (std::isdigit(static_cast<unsigned char>(name[0])) != 0) name = "s_" + name;
      if (IsKeyword(name) || taken.count(name) != 0) name += "_stream";
      const std::string stem = name;
      for (int n = 1; taken.count(name) != 0; ++n) name = stem + "_" + std::to_string(n);
      taken.insert(name);
      return name;
    };
    const bool use_alias = taken.count("op") == 0;
    const std::string op = use_alias ? "op::" : "bytewax::operators::";
    bool kafka = false;
    for (const Step& s : steps) {
      kafka =
          kafka || (HasCodeRule(kKafkaRule) && s.call->getNumArgs() == 2 &&
                    (s.method == "input" || s.method == "output") &&
                    FindKafkaArg(s.call->getArg(1), step_.layer_ns).kind != KafkaConnector::kNone);
    }
    const bool use_kop = taken.count("kop") == 0;
    const KafkaSpelling kafka_spelling{
        op, use_kop ? "kop::" : "bytewax::connectors::kafka::operators::"};
    const std::string flow_name = var->getNameAsString();

    // Dataflow() -> Dataflow("flow_id").
    std::string stem = Snake(llvm::sys::path::stem(file));
    std::string flow_id = stem;
    if (flow_ids->count(flow_id) != 0) flow_id = stem + "_" + Snake(flow_name);
    for (int n = 1; flow_ids->count(flow_id) != 0; ++n) flow_id = stem + "_" + std::to_string(n);
    flow_ids->insert(flow_id);
    const int decl_change = NewChange(var->getLocation(), "flow-id");
    bool ok = true;
    if (init->getParenOrBraceRange().isValid()) {
      ok = Replace(decl_change, CharSourceRange::getTokenRange(init->getParenOrBraceRange()),
                   "(" + QuoteCpp(flow_id) + ")");
    } else {
      ok = Insert(decl_change, src_.EndOfToken(var->getLocation()), "(" + QuoteCpp(flow_id) + ")");
    }
    std::string aliases;
    if (use_alias && aliased->insert(block).second) {
      aliases += "namespace op = bytewax::operators;\n" +
                 src_.IndentOfCharBefore(decl_stmt->getBeginLoc());
    }
    if (kafka && use_kop && kop_aliased_.insert(block).second) {
      aliases += "namespace kop = bytewax::connectors::kafka::operators;\n" +
                 src_.IndentOfCharBefore(decl_stmt->getBeginLoc());
    }
    if (!aliases.empty()) ok = ok && Insert(decl_change, decl_stmt->getBeginLoc(), aliases);
    if (!ok) {
      out_->changes.pop_back();
      FlowManual(var, steps, "overlapping edits");
      return;
    }
    std::vector<std::pair<const Step*, int>> done;
    std::string cur;
    std::string why;
    const size_t kafka_mark = kafka_accounted_.size();
    for (const Step& s : steps) {
      const int change = NewChange(s.call->getExprLoc(), "builder");
      if (!RewriteStep(s, flow_name, kafka_spelling, &cur, gen_id, gen_var, change, file, &why)) {
        // Undo the whole flow: never half-edited.
        out_->changes.erase(out_->changes.begin() + decl_change, out_->changes.end());
        kafka_accounted_.resize(kafka_mark);
        FlowManual(var, steps, why);
        return;
      }
      done.emplace_back(&s, change);
    }
    NeedHeader(file, "\"bytewax/operators.h\"");
    AddSite(var->getLocation(), "flow-id", Outcome::kMigrated, "", decl_change);
    for (const auto& [s, change] : done) {
      AddSite(s->call->getExprLoc(), "builder", Outcome::kMigrated, "", change);
    }
  }

  template <class GenId, class GenVar>
  bool RewriteStep(const Step& s, const std::string& flow_name, const KafkaSpelling& spelling,
                   std::string* cur, GenId& gen_id, GenVar& gen_var, int change,
                   const std::string& file, std::string* why) {
    const clang::CXXMemberCallExpr* call = s.call;
    const std::string& op = spelling.op;
    if (HasCodeRule(kKafkaRule) && call->getNumArgs() == 2 &&
        (s.method == "input" || s.method == "output")) {
      const KafkaArg kafka = FindKafkaArg(call->getArg(1), step_.layer_ns);
      if (kafka.kind != KafkaConnector::kNone) {
        return RewriteKafkaStep(s, kafka, spelling, flow_name, cur, gen_id, gen_var, change, file,
                                why);
      }
    }
    const auto* member = llvm::dyn_cast<clang::MemberExpr>(call->getCallee()->IgnoreParens());
    if (member == nullptr) {
      *why = "unusual builder call";
      return false;
    }
    // `flow.map(` -> `auto v = op::map(`; the arguments stay as written.
    const SourceLocation begin = call->getBeginLoc();
    std::optional<clang::Token> lparen =
        clang::Lexer::findNextToken(member->getMemberLoc(), sm_, lang_);
    if (!lparen || !lparen->is(clang::tok::l_paren)) {
      *why = "unusual builder call";
      return false;
    }
    const SourceLocation after_paren = lparen->getEndLoc();
    const unsigned nargs = call->getNumArgs();
    for (unsigned i = 0; i < nargs; ++i) {
      if (InMacro(call->getArg(i)->getSourceRange())) {
        *why = "a builder argument is spelled inside a macro";
        return false;
      }
    }
    auto arg_range = [call](unsigned i) {
      return CharSourceRange::getTokenRange(call->getArg(i)->getSourceRange());
    };
    auto arg_end = [this, call](unsigned i) {
      return src_.EndOfToken(call->getArg(i)->getEndLoc());
    };
    std::string step_id;
    if (s.rule->has_step_id) {
      if (nargs == 0) {
        *why = "builder call without arguments";
        return false;
      }
      if (const clang::StringLiteral* lit = StringLiteralArg(call->getArg(0))) {
        step_id = lit->getString().str();
      } else {
        step_id = s.method;
      }
    } else {
      step_id = gen_id(nargs > 0 ? IdFromCallable(call->getArg(0), s.method) : s.method);
    }
    const bool is_output = s.method == "output";
    const bool is_input = s.method == "input";
    if (is_input && !cur->empty()) {
      *why = "a second `input` on the same flow";
      return false;
    }
    if (!is_input && cur->empty()) {
      *why = "a step before `input`";
      return false;
    }
    const std::string up = is_input ? flow_name : *cur;
    std::string var;
    std::string prefix;
    if (is_output) {
      prefix = op + "output(";
    } else {
      var = gen_var(s.method == "reduce" ? step_id + "_state" : step_id);
      prefix = "auto " + var + " = " + op + s.rule->op + "(";
    }
    bool ok = Replace(change, CharSourceRange::getCharRange(begin, after_paren), prefix);
    if (s.rule->has_step_id) {
      ok = ok && Insert(change, arg_end(0), ", " + up);
    } else {
      ok = ok &&
           Insert(change, after_paren, QuoteCpp(step_id) + ", " + up + (nargs > 0 ? ", " : ""));
    }
    if (s.method == "batch") {
      if (nargs != 3) {
        *why = "batch takes (step_id, max_size, timeout)";
        return false;
      }
      // batch(step_id, max_size, timeout) -> collect(step_id, up, timeout, max_size)
      ok = ok && Replace(change, arg_range(1), src_.Text(arg_range(2))) &&
           Replace(change, arg_range(2), src_.Text(arg_range(1)));
    } else if (s.method == "inspect" || s.method == "inspect_epoch" ||
               s.method == "inspect_worker") {
      ok = ok && RewriteInspector(s.method, call->getArg(0), change, why);
      if (!ok && !why->empty()) return false;
    } else if (s.method == "reduce") {
      ok = ok && RewriteReduce(s, op, var, change, gen_id, gen_var, file, cur, why);
      if (!ok && !why->empty()) return false;
      return ok || (*why = "overlapping edits", false);
    }
    if (!ok) {
      *why = "overlapping edits";
      return false;
    }
    if (!is_output) *cur = var;
    if (s.rule->drops_window_meta)
      return DropWindowMeta(call, step_id, op, change, gen_id, gen_var, file, cur, why);
    return true;
  }

  // A v0.18 window operator emits `(key, (metadata, value))`; the steps
  // after the v0.17 method read `(key, value)`, so an adapter drops the
  // metadata rather than every consumer being rewritten.
  template <class GenId, class GenVar>
  bool DropWindowMeta(const clang::CXXMemberCallExpr* call, const std::string& step_id,
                      const std::string& op, int change, GenId& gen_id, GenVar& gen_var,
                      const std::string& file, std::string* cur, std::string* why) {
    const SourceLocation semi = clang::Lexer::findLocationAfterToken(
        call->getEndLoc(), clang::tok::semi, sm_, lang_, false);
    if (semi.isInvalid()) {
      *why = "a window method that is not a statement of its own";
      return false;
    }
    const std::string id = gen_id(step_id + "_drop_meta");
    const std::string var = gen_var(step_id + "_values");
    const std::string adapter = "\n" + src_.IndentOfCharBefore(call->getBeginLoc()) + "auto " +
                                var + " = " + op + "map_value(" + QuoteCpp(id) + ", " + *cur +
                                ", [](auto meta_value) { return std::move(meta_value.second); });";
    if (!Insert(change, semi, adapter)) {
      *why = "overlapping edits";
      return false;
    }
    NeedHeader(file, "\"bytewax/operators/window.h\"");
    NeedHeader(file, "<utility>");
    *cur = var;
    return true;
  }

  bool RewriteInspector(const std::string& method, const clang::Expr* arg, int change,
                        std::string* why) {
    const clang::Expr* callable = CallableExpr(arg);
    const std::string id_param = "const std::string& /*step_id*/";
    if (const auto* lambda = llvm::dyn_cast<clang::LambdaExpr>(callable)) {
      const clang::CXXMethodDecl* op = lambda->getCallOperator();
      const unsigned want = method == "inspect" ? 1 : 2;
      if (lambda->hasExplicitParameters() && op->getNumParams() == want &&
          !lambda->isGenericLambda()) {
        const clang::ParmVarDecl* p0 = op->getParamDecl(0);
        if (method == "inspect") return Insert(change, p0->getBeginLoc(), id_param + ", ");
        const clang::ParmVarDecl* p1 = op->getParamDecl(1);
        const CharSourceRange params =
            CharSourceRange::getTokenRange(p0->getBeginLoc(), p1->getEndLoc());
        const std::string t0 = src_.Text(p0->getSourceRange());
        const std::string t1 = src_.Text(p1->getSourceRange());
        if (method == "inspect_epoch") {  // (epoch, item) -> (id, item, epoch, worker)
          return Replace(change, params,
                         id_param + ", " + t1 + ", " + t0 + ", std::size_t /*worker*/");
        }
        // inspect_worker: (item, worker) -> (id, item, epoch, worker)
        return Replace(change, params, id_param + ", " + t0 + ", std::uint64_t /*epoch*/, " + t1);
      }
    }
    // Any other callable: wrap it.
    const std::string text = src_.Text(CharSourceRange::getTokenRange(arg->getSourceRange()));
    if (text.empty()) {
      *why = "cannot read the inspector";
      return false;
    }
    std::string wrapped = "[inspector = " + text + "](" + id_param + ", const auto& item";
    if (method == "inspect") {
      wrapped += ") mutable { inspector(item); }";
    } else if (method == "inspect_epoch") {
      wrapped +=
          ", std::uint64_t epoch, std::size_t /*worker*/) mutable { inspector(epoch, item); }";
    } else {
      wrapped +=
          ", std::uint64_t /*epoch*/, std::size_t worker) mutable { inspector(item, worker); }";
    }
    return Replace(change, CharSourceRange::getTokenRange(arg->getSourceRange()), wrapped);
  }

  // reduce(step_id, reducer, is_complete): a stateful_map keeping the
  // accumulator (emitting it once complete) and a filter_map dropping the
  // steps where nothing completed, as the v0.17 layer runs it.
  template <class GenId, class GenVar>
  bool RewriteReduce(const Step& s, const std::string& op, const std::string& state_var, int change,
                     GenId& gen_id, GenVar& gen_var, const std::string& file, std::string* cur,
                     std::string* why) {
    const clang::CXXMemberCallExpr* call = s.call;
    if (call->getNumArgs() != 3) {
      *why = "reduce takes (step_id, reducer, is_complete)";
      return false;
    }
    const std::string v = ReducerValueType(call->getArg(1));
    if (v.empty()) {
      *why =
          "cannot read the reducer's value type (use a function or a lambda with a "
          "concrete parameter type)";
      return false;
    }
    const std::string reducer =
        src_.Text(CharSourceRange::getTokenRange(call->getArg(1)->getSourceRange()));
    const std::string complete =
        src_.Text(CharSourceRange::getTokenRange(call->getArg(2)->getSourceRange()));
    const std::string indent = src_.IndentOfCharBefore(call->getBeginLoc());
    const std::string in = indent + "    ";
    std::string mapper = "[] { return std::optional<" + v + ">(); },\n" + in +
                         "[reducer = " + reducer + ", is_complete = " + complete +
                         "](std::optional<" + v + "> acc, " + v + " value) mutable {\n" + in +
                         "  " + v +
                         " next = acc ? reducer(std::move(*acc), std::move(value)) : "
                         "std::move(value);\n" +
                         in + "  if (is_complete(next)) {\n" + in +
                         "    return std::make_pair(std::optional<std::optional<" + v +
                         ">>(), "
                         "std::optional<" +
                         v + ">(std::move(next)));\n" + in + "  }\n" + in +
                         "  return std::make_pair(std::optional<std::optional<" + v +
                         ">>(std::move(next)), std::optional<" + v + ">());\n" + in + "}";
    const CharSourceRange args = CharSourceRange::getTokenRange(call->getArg(1)->getBeginLoc(),
                                                                call->getArg(2)->getEndLoc());
    if (!Replace(change, args, mapper)) return false;
    SourceLocation semi = clang::Lexer::findLocationAfterToken(call->getEndLoc(), clang::tok::semi,
                                                               sm_, lang_, false);
    if (semi.isInvalid()) {
      *why = "reduce is not a statement of its own";
      return false;
    }
    std::string step_id = "reduce";
    if (const clang::StringLiteral* lit = StringLiteralArg(call->getArg(0))) {
      step_id = lit->getString().str();
    }
    const std::string emit_id = gen_id(step_id + "_complete");
    const std::string emit_var = gen_var(step_id);
    const std::string filter = "\n" + indent + "auto " + emit_var + " = " + op + "filter_map(" +
                               QuoteCpp(emit_id) + ", " + state_var + ",\n" + in +
                               "[](std::pair<std::string, std::optional<" + v +
                               ">> kv) -> std::optional<std::pair<std::string, " + v + ">> {\n" +
                               in + "  if (!kv.second) return std::nullopt;\n" + in +
                               "  return std::make_pair(std::move(kv.first), "
                               "std::move(*kv.second));\n" +
                               in + "});";
    if (!Insert(change, semi, filter)) return false;
    NeedHeader(file, "<optional>");
    NeedHeader(file, "<string>");
    NeedHeader(file, "<utility>");
    *cur = emit_var;
    return true;
  }

  // ---- Kafka flows (kafka_rule.h) ----

  template <class GenId, class GenVar>
  bool RewriteKafkaStep(const Step& s, const KafkaArg& kafka, const KafkaSpelling& spelling,
                        const std::string& flow_name, std::string* cur, GenId& gen_id,
                        GenVar& gen_var, int change, const std::string& file, std::string* why) {
    const clang::CXXMemberCallExpr* call = s.call;
    if (kafka.ctor == nullptr) {
      *why = kafka.manual;
      return false;
    }
    const bool is_input = kafka.kind == KafkaConnector::kInput;
    if (is_input != (s.method == "input")) {
      *why = "a Kafka connector given to `" + s.method + "`";
      return false;
    }
    std::optional<KafkaCtorArgs> args = ReadKafkaCtorArgs(kafka.ctor, sm_, lang_);
    if (!args || InMacro(call->getArg(0)->getSourceRange())) {
      *why = "the Kafka connector's arguments are spelled inside a macro";
      return false;
    }
    const SourceLocation semi = clang::Lexer::findLocationAfterToken(
        call->getEndLoc(), clang::tok::semi, sm_, lang_, false);
    if (semi.isInvalid()) {
      *why = "a Kafka step that is not a statement of its own";
      return false;
    }
    const std::string id_text = src_.Text(call->getArg(0)->getSourceRange());
    std::string step_id = s.method;
    if (const clang::StringLiteral* lit = StringLiteralArg(call->getArg(0))) {
      step_id = lit->getString().str();
    }
    const std::string indent = src_.IndentOfCharBefore(call->getBeginLoc());
    const CharSourceRange whole = CharSourceRange::getTokenRange(call->getSourceRange());
    bool ok = true;
    if (is_input) {
      if (!cur->empty()) {
        *why = "a second `input` on the same flow";
        return false;
      }
      // kop::input names two steps of its own after its step id.
      for (const char* suffix : {"_oks", "_errs"}) {
        const std::string id = step_id + suffix;
        if (gen_id(id) != id) {
          *why = "step id `" + id + "` is taken, and kop::input(" + QuoteCpp(step_id) +
                 ", ...) adds a step of that id";
          return false;
        }
      }
      const std::string var = gen_var(step_id);
      const std::string kv_var = gen_var(step_id + "_kv");
      ok = Replace(change, whole, KafkaInputCall(spelling, var, id_text, flow_name, *args)) &&
           Insert(
               change, semi,
               KafkaInputAdapters(spelling, indent, var, QuoteCpp(gen_id(step_id + "_raise_errs")),
                                  QuoteCpp(gen_id(step_id + "_oks_to_kv")), kv_var));
      *cur = kv_var;
    } else {
      if (cur->empty()) {
        *why = "a step before `input`";
        return false;
      }
      ok = Replace(change, whole,
                   KafkaOutputCode(spelling, indent, *cur, gen_var(step_id + "_msgs"),
                                   QuoteCpp(gen_id(step_id + "_kv_to_msg")), id_text, *args));
    }
    if (!ok) {
      *why = "overlapping edits";
      return false;
    }
    kafka_accounted_.push_back(call->getSourceRange());
    NeedHeader(file, "\"bytewax/connectors/kafka.h\"");
    NeedHeader(file, "\"bytewax/connectors/kafka/operators.h\"");
    NeedHeader(file, "<utility>");
    AddSite(call->getExprLoc(), kKafkaRule, Outcome::kMigrated, "", change);
    return true;
  }

  // A KafkaInput or KafkaOutput named anywhere but in a builder step the
  // flow rule rewrote (or reported manual with its own reason): its v0.18
  // counterpart carries messages, not pairs.
  void KafkaLeftovers() {
    for (SourceLocation loc : kafka_refs_) {
      bool consumed = false;
      for (SourceRange r : kafka_accounted_) {
        consumed =
            consumed || sm_.isPointWithin(sm_.getExpansionLoc(loc), r.getBegin(), r.getEnd());
      }
      if (consumed) continue;
      AddSite(loc, kKafkaRule, Outcome::kManual,
              "KafkaInput/KafkaOutput used other than constructed in a builder step "
              "`flow.input/output(\"id\", Kafka...(...))` of a flow the tool rewrites: v0.18's "
              "KafkaSource/KafkaSink carry KafkaSourceMessage/KafkaSinkMessage, not (key, value) "
              "pairs; rewrite with kop::input/kop::output by hand",
              -1);
    }
  }

  // ---- namespace aliases of a namespace the step empties ----

  // `namespace periodic = bytewax::connectors::periodic;` names a
  // namespace the sdk does not have. When every use of the alias was the
  // qualifier of a name the renames rewrote fully qualified, the alias is
  // dead and is removed; any other use is left to the user.
  void MovedNamespaceAliasRule() {
    std::map<std::string, std::string> moved;  // qualified old namespace -> rule
    for (const RenameRule& r : step_.renames) {
      const auto old_ns = llvm::StringRef(r.old_name).rsplit("::").first;
      const auto new_ns = llvm::StringRef(r.new_name).rsplit("::").first;
      if (r.rule != kKafkaRule && old_ns != new_ns) {
        moved["bytewax::" + step_.layer_ns + "::" + old_ns.str()] = r.rule;
      }
    }
    for (const clang::UsingDirectiveDecl* directive : directives_) {
      if (!IsUserLoc(directive->getLocation())) continue;
      auto it = moved.find(QualifiedName(directive->getNominatedNamespace()));
      if (it == moved.end()) continue;
      // Its names were renamed unqualified; which namespace to open
      // instead (and what that brings into scope) is the user's call.
      AddSite(directive->getLocation(), it->second, Outcome::kManual,
              "`using namespace` of bytewax::" + it->first.substr(it->first.find("::", 9) + 2) +
                  ", a namespace v" + step_.to +
                  " does not have: qualify the moved names (or open their new namespace) and "
                  "remove the directive by hand",
              -1);
    }
    for (const clang::NamespaceAliasDecl* alias : aliases_) {
      if (!IsUserLoc(alias->getLocation())) continue;
      auto it = moved.find(QualifiedName(alias->getNamespace()));
      if (it == moved.end()) continue;
      const std::string what = "namespace alias `" + alias->getNameAsString() + "` of " +
                               "bytewax::" + it->first.substr(it->first.find("::", 9) + 2);
      if (InMacro(alias->getSourceRange())) {
        AddSite(alias->getLocation(), it->second, Outcome::kManual,
                what + " is spelled inside a macro: remove it by hand", -1);
        continue;
      }
      std::optional<SourceLocation> unrewritten;
      for (SourceLocation use : alias_uses_[alias]) {
        if (IsUserLoc(use) && requalified_.count(use.getRawEncoding()) == 0) {
          unrewritten = use;
          break;
        }
      }
      if (unrewritten) {
        AddSite(*unrewritten, it->second, Outcome::kManual,
                what + " (a namespace v" + step_.to +
                    " does not have) is used for a name the tool does not move: rewrite the "
                    "use and remove the alias by hand",
                -1);
        continue;
      }
      const SourceLocation semi = clang::Lexer::findLocationAfterToken(
          alias->getEndLoc(), clang::tok::semi, sm_, lang_, false);
      if (semi.isInvalid()) continue;
      const int change = NewChange(alias->getLocation(), it->second);
      const bool ok = Replace(change, WholeLines(alias->getBeginLoc(), semi), "");
      AddSite(alias->getLocation(), it->second, ok ? Outcome::kMigrated : Outcome::kManual,
              ok ? "" : "overlapping edits", ok ? change : -1);
    }
  }

  // [begin, end) widened to whole lines when nothing else is on them.
  CharSourceRange WholeLines(SourceLocation begin, SourceLocation end) const {
    const clang::FileID fid = sm_.getFileID(begin);
    llvm::StringRef buffer = sm_.getBufferData(fid);
    size_t b = sm_.getFileOffset(begin);
    size_t e = sm_.getFileOffset(end);
    size_t lb = b;
    while (lb > 0 && (buffer[lb - 1] == ' ' || buffer[lb - 1] == '\t')) --lb;
    size_t le = e;
    while (le < buffer.size() && (buffer[le] == ' ' || buffer[le] == '\t')) ++le;
    if ((lb == 0 || buffer[lb - 1] == '\n') && le < buffer.size() && buffer[le] == '\n') {
      b = lb;
      e = le + 1;
      // Between two blank lines: one of them goes too.
      const bool blank_before = b >= 2 && buffer[b - 1] == '\n' && buffer[b - 2] == '\n';
      if (blank_before && e < buffer.size() && buffer[e] == '\n') ++e;
    }
    const SourceLocation start = sm_.getLocForStartOfFile(fid);
    return CharSourceRange::getCharRange(start.getLocWithOffset(static_cast<int>(b)),
                                         start.getLocWithOffset(static_cast<int>(e)));
  }

  clang::ASTContext& ctx_;
  const clang::SourceManager& sm_;
  const clang::LangOptions& lang_;
  const internal::SourceReader src_;
  const VersionStep& step_;
  NameTable names_;
  const std::function<bool(llvm::StringRef)>& is_user_file_;
  const std::vector<IncludeSeen>& includes_;
  TuResult* out_;
  std::map<unsigned, std::string> user_file_cache_;
  std::set<std::string> site_keys_;
  std::set<std::string> provided_;  // "file\nheader" an include rule already adds
  std::string main_file_;
  std::map<const clang::FunctionDecl*, std::set<std::string>> taken_;
  // Kafka: names of the connectors (from the rename table), the builder
  // calls rewritten or reported manual, the blocks given a `kop` alias.
  std::vector<SourceLocation> kafka_refs_;
  std::vector<SourceRange> kafka_accounted_;
  std::set<const clang::CompoundStmt*> kop_aliased_;
  // Namespace aliases and using-directives, the aliases' uses, and the
  // qualifiers a rename rewrote.
  std::vector<const clang::NamespaceAliasDecl*> aliases_;
  std::vector<const clang::UsingDirectiveDecl*> directives_;
  std::map<const clang::NamespaceAliasDecl*, std::vector<SourceLocation>> alias_uses_;
  std::set<clang::SourceLocation::UIntTy> requalified_;
};

class Consumer : public clang::ASTConsumer {
 public:
  Consumer(const VersionStep& step, const std::function<bool(llvm::StringRef)>& is_user_file,
           std::vector<IncludeSeen>* includes, TuResult* out, const bool* failed)
      : step_(step), is_user_file_(is_user_file), includes_(includes), out_(out), failed_(failed) {}
  void HandleTranslationUnit(clang::ASTContext& ctx) override {
    if (*failed_ || ctx.getDiagnostics().hasErrorOccurred()) return;
    Engine(ctx, step_, is_user_file_, *includes_, out_).Run();
  }

 private:
  const VersionStep& step_;
  const std::function<bool(llvm::StringRef)>& is_user_file_;
  std::vector<IncludeSeen>* includes_;
  TuResult* out_;
  const bool* failed_;
};

class Action : public clang::ASTFrontendAction {
 public:
  Action(const VersionStep& step, const std::function<bool(llvm::StringRef)>& is_user_file,
         TuResult* out)
      : step_(step), is_user_file_(is_user_file), out_(out) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& ci,
                                                        llvm::StringRef /*file*/) override {
    ci.getPreprocessor().addPPCallbacks(
        std::make_unique<IncludeRecorder>(ci.getSourceManager(), &includes_));
    return std::make_unique<Consumer>(step_, is_user_file_, &includes_, out_, &failed_);
  }

 private:
  const VersionStep& step_;
  const std::function<bool(llvm::StringRef)>& is_user_file_;
  TuResult* out_;
  std::vector<IncludeSeen> includes_;
  bool failed_ = false;
};

class Factory : public clang::tooling::FrontendActionFactory {
 public:
  Factory(const VersionStep& step, const std::function<bool(llvm::StringRef)>& is_user_file,
          TuResult* out)
      : step_(step), is_user_file_(is_user_file), out_(out) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<Action>(step_, is_user_file_, out_);
  }

 private:
  const VersionStep& step_;
  const std::function<bool(llvm::StringRef)>& is_user_file_;
  TuResult* out_;
};

// Runs `factory` on `file` with `args`; the diagnostics text on failure.
bool RunTool(const std::string& file, const std::vector<std::string>& args, const ParseSetup& setup,
             const clang::tooling::CompilationDatabase* database,
             clang::tooling::FrontendActionFactory* factory, std::string* diagnostics) {
  std::unique_ptr<clang::tooling::CompilationDatabase> fixed;
  if (database == nullptr) {
    fixed = std::make_unique<clang::tooling::FixedCompilationDatabase>(".", args);
    database = fixed.get();
  }
  clang::tooling::ClangTool tool(*database, {file});
  if (setup.overlay != nullptr) {
    for (const auto& [path, contents] : *setup.overlay) tool.mapVirtualFile(path, contents);
  }
  tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      {"-resource-dir=" BYTEWAX_CLANG_RESOURCE_DIR, "-fsyntax-only", "-w",
       // Also keeps clang from printing "N errors generated" on stderr.
       "-fno-caret-diagnostics"},
      clang::tooling::ArgumentInsertPosition::END));
  std::string text;
  llvm::raw_string_ostream stream(text);
  auto opts = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
  clang::TextDiagnosticPrinter printer(stream, opts.get());
  tool.setDiagnosticConsumer(&printer);
  tool.setPrintErrorMessage(false);
  const int rc = tool.run(factory);
  stream.flush();
  *diagnostics = text;
  return rc == 0;
}

}  // namespace

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kMigrated:
      return "migrated";
    case Outcome::kKeptOnCompat:
      return "kept_on_compat";
    case Outcome::kManual:
      return "manual";
  }
  return "?";
}

std::vector<std::string> BuiltinArgs(const ParseSetup& setup, const std::string& layer_dir) {
  std::vector<std::string> args = {"-xc++", "-std=c++17", "-DBYTEWAX_NO_DEPRECATION_WARNINGS",
                                   "-I" + setup.headers_root + "/" + layer_dir,
                                   "-I" + setup.headers_root};
  args.insert(args.end(), setup.extra_args.begin(), setup.extra_args.end());
  return args;
}

TuResult AnalyzeTranslationUnit(const std::string& file, const VersionStep& step,
                                const ParseSetup& setup,
                                const std::function<bool(llvm::StringRef)>& is_user_file) {
  TuResult result;
  Factory factory(step, is_user_file, &result);
  std::string diagnostics;
  if (RunTool(file, BuiltinArgs(setup, step.layer_dir), setup, setup.database, &factory,
              &diagnostics)) {
    return result;
  }
  result = TuResult();
  result.status = TuResult::Status::kParseError;
  result.diagnostics = diagnostics;
  if (setup.database == nullptr) {
    // Already on a later API? Then there is nothing to do in this step.
    std::vector<std::string> later;
    for (const VersionStep* s = FindStep(step.to); s != nullptr; s = FindStep(s->to)) {
      later.push_back(s->layer_dir);
    }
    later.emplace_back("sdk");
    const std::function<bool(llvm::StringRef)> nobody = [](llvm::StringRef) { return false; };
    for (const std::string& dir : later) {
      std::string ignored;
      TuResult probe;
      Factory none(step, nobody, &probe);
      if (RunTool(file, BuiltinArgs(setup, dir), setup, nullptr, &none, &ignored)) {
        result.status = TuResult::Status::kNewApi;
        result.diagnostics.clear();
        break;
      }
    }
  }
  return result;
}

}  // namespace migrate_tool
