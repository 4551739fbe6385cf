// Smoke test for //third_party/llvm:clang_tooling: parses a tiny C++17
// snippet that includes a standard header with clang::tooling and counts its
// function definitions with a RecursiveASTVisitor (as the migration tool will).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"
#include "third_party/llvm/clang_resource_dir.h"

namespace {

class CountFunctions : public clang::RecursiveASTVisitor<CountFunctions> {
 public:
  explicit CountFunctions(int* count) : count_(count) {}
  bool VisitFunctionDecl(clang::FunctionDecl* decl) {
    if (decl->isThisDeclarationADefinition() &&
        decl->getASTContext().getSourceManager().isInMainFile(decl->getLocation())) {
      ++*count_;
    }
    return true;
  }

 private:
  int* count_;
};

class Consumer : public clang::ASTConsumer {
 public:
  explicit Consumer(int* count) : visitor_(count) {}
  void HandleTranslationUnit(clang::ASTContext& ctx) override {
    visitor_.TraverseDecl(ctx.getTranslationUnitDecl());
  }

 private:
  CountFunctions visitor_;
};

class Action : public clang::ASTFrontendAction {
 public:
  explicit Action(int* count) : count_(count) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& /*ci*/,
                                                        llvm::StringRef /*file*/) override {
    return std::make_unique<Consumer>(count_);
  }

 private:
  int* count_;
};

}  // namespace

int main() {
  const std::string code =
      "#include <stddef.h>\n"
      "#include <vector>\n"
      "size_t twice(size_t x) { return 2 * x; }\n"
      "int main() { std::vector<int> v{1, 2}; return static_cast<int>(twice(v.size())); }\n";
  int count = 0;
  const std::vector<std::string> args = {"-std=c++17", "-resource-dir=" BYTEWAX_CLANG_RESOURCE_DIR};
  const bool ok =
      clang::tooling::runToolOnCodeWithArgs(std::make_unique<Action>(&count), code, args, "in.cc");
  std::printf("parsed=%d functions=%d\n", ok, count);
  return ok && count == 2 ? 0 : 1;
}
