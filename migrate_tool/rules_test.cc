// Checks the rule tables against the headers: parses every old header of a
// step with clang against its compat layer and every new header against the
// sdk, and requires each old name to be declared in the old layer's
// namespace (bytewax::v0_17::...) and each new name in the sdk's
// (bytewax::v0_18::...). Rows whose old header is not in the layer yet
// (window, Kafka) or whose sdk header is not built yet are listed, not
// failed, so the table can lead the layers.
#include "migrate_tool/rules.h"

#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "third_party/llvm/clang_resource_dir.h"

namespace migrate_tool {
namespace {

std::string Root() {
  for (const char* var : {"RUNFILES_DIR", "TEST_SRCDIR"}) {
    if (const char* dir = std::getenv(var)) {
      const std::string root = std::string(dir) + "/bytewax_cpp";
      if (llvm::sys::fs::exists(root + "/compat")) return root;
    }
  }
  return ".";
}

class Names : public clang::RecursiveASTVisitor<Names> {
 public:
  bool VisitNamedDecl(clang::NamedDecl* decl) {
    clang::PrintingPolicy policy(decl->getASTContext().getLangOpts());
    policy.SuppressInlineNamespace = false;
    std::string name;
    llvm::raw_string_ostream os(name);
    decl->printQualifiedName(os, policy);
    os.flush();
    if (name.rfind("bytewax::", 0) == 0) names.insert(name);
    return true;
  }
  std::set<std::string> names;
};

// Every bytewax:: name declared by `headers` parsed with `include_root`.
std::set<std::string> Declared(const std::set<std::string>& headers,
                               const std::string& include_root) {
  std::string code;
  for (const std::string& h : headers) code += "#include \"" + h + "\"\n";
  const std::vector<std::string> args = {
      "-std=c++17",
      "-xc++",
      "-DBYTEWAX_NO_DEPRECATION_WARNINGS",
      "-I" + include_root,
      "-I" + Root(),
      std::string("-resource-dir=") + BYTEWAX_CLANG_RESOURCE_DIR};
  std::unique_ptr<clang::ASTUnit> ast =
      clang::tooling::buildASTFromCodeWithArgs(code, args, "rules_check.cc");
  EXPECT_NE(ast, nullptr);
  if (ast == nullptr) return {};
  EXPECT_FALSE(ast->getDiagnostics().hasErrorOccurred()) << "headers do not parse: " << code;
  Names names;
  names.TraverseDecl(ast->getASTContext().getTranslationUnitDecl());
  return names.names;
}

TEST(RulesTest, ChainIsOrderedAndSearchable) {
  ASSERT_FALSE(Chain().empty());
  for (const VersionStep& step : Chain()) {
    EXPECT_EQ(FindStep(step.from), &step);
    EXPECT_FALSE(step.renames.empty());
    EXPECT_FALSE(step.code_rules.empty());
  }
  for (size_t i = 1; i < Chain().size(); ++i) EXPECT_EQ(Chain()[i - 1].to, Chain()[i].from);
  EXPECT_EQ(Chain().back().to, "0.18");
  EXPECT_EQ(FindStep("0.18"), nullptr);
}

// A step's new names are declared by the next step's layer, or by the sdk
// for the last step.
TEST(RulesTest, EveryOldNameIsInItsLayerAndEveryNewNameInTheNextOne) {
  const std::string root = Root();
  for (const VersionStep& step : Chain()) {
    const VersionStep* next = FindStep(step.to);
    const std::string new_dir = next == nullptr ? "sdk" : next->layer_dir;
    const std::string new_ns = next == nullptr ? "v0_18" : next->layer_ns;
    std::string new_root = root;
    new_root.append("/").append(new_dir);
    std::string old_root = root;
    old_root.append("/").append(step.layer_dir);
    std::set<std::string> old_headers;
    std::set<std::string> new_headers;
    for (const RenameRule& r : step.renames) {
      if (!r.old_header.empty()) old_headers.insert(r.old_header);
      if (llvm::sys::fs::exists(new_root + "/" + r.new_header)) {
        new_headers.insert(r.new_header);
      }
    }
    const std::set<std::string> old_names = Declared(old_headers, old_root);
    const std::set<std::string> new_names = Declared(new_headers, new_root);
    int checked = 0;
    for (const RenameRule& r : step.renames) {
      if (r.old_header.empty()) {
        std::printf("pending (not in the v%s layer yet): %s\n", step.from.c_str(),
                    r.old_name.c_str());
      } else {
        EXPECT_EQ(old_names.count("bytewax::" + step.layer_ns + "::" + r.old_name), 1u)
            << r.old_name << " is not declared by compat " << r.old_header;
        ++checked;
      }
      if (new_headers.count(r.new_header) == 0) {
        std::printf("pending (%s header %s not built yet): %s\n", new_dir.c_str(),
                    r.new_header.c_str(), r.new_name.c_str());
      } else {
        EXPECT_EQ(new_names.count("bytewax::" + new_ns + "::" + r.new_name), 1u)
            << r.new_name << " is not declared by " << new_dir << " " << r.new_header;
        ++checked;
      }
    }
    // Most rows name headers that exist on both sides.
    EXPECT_GT(checked, static_cast<int>(step.renames.size())) << "too few rows could be checked";
    // The include moves name headers that exist on both sides.
    for (const IncludeRule& inc : step.includes) {
      if (llvm::sys::fs::exists(old_root + "/" + inc.old_include)) {
        EXPECT_TRUE(llvm::sys::fs::exists(new_root + "/" + inc.new_include)) << inc.new_include;
      } else {
        std::printf("pending (not in the v%s layer yet): %s\n", step.from.c_str(),
                    inc.old_include.c_str());
      }
    }
  }
}

}  // namespace
}  // namespace migrate_tool
