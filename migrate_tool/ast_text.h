// File: migrate_tool/ast_text.h
//
// The migrate tool's internal helpers for reading the AST and the user's
// source text, shared by the engine (migrator.cc), the old steps' rules
// (old_steps.cc) and the Kafka rule (kafka_rule.cc). Not an API: only the
// tool's own translation units include this.
//
//   using internal::QualifiedName;
//   if (QualifiedName(decl) == "bytewax::v0_17::inputs::StatefulSource") ...
//   const internal::SourceReader src(sm, lang);
//   std::string indent = src.IndentOf(stmt->getBeginLoc());
//   std::string id = internal::QuoteCpp(internal::Snake("KeyOnUser"));  // "\"key_on_user\""
//
// Thread-safety: free functions of their arguments and a SourceReader that
// only reads the SourceManager it was given; safe wherever the AST and the
// SourceManager they read are not being changed at the same time.

#ifndef MIGRATE_TOOL_AST_TEXT_H_
#define MIGRATE_TOOL_AST_TEXT_H_

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceLocation.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringRef.h"

namespace migrate_tool::internal {

// ---- names ----

// The qualified name with inline namespaces spelled out
// ("bytewax::v0_17::inputs::StatefulSource"), so the old layer's names never
// match the next layer's, the sdk's or a user's. "" for nullptr.
std::string QualifiedName(const clang::NamedDecl* decl);

// The QualifiedName of the class `type` is, or of the template it is a
// specialization of ("std::vector" for std::vector<int>); "" when `type` is
// not a class.
std::string ClassName(clang::QualType type);

// ---- expressions ----

// The string literal a `const std::string&` argument (a step id) was built
// from, or nullptr.
const clang::StringLiteral* StringLiteralArg(const clang::Expr* e);

// What a callable argument was built from, with the std::function
// construction and temporaries peeled off: a reference to a function,
// `&function` or a lambda as the user wrote it.
const clang::Expr* CallableExpr(const clang::Expr* e);

// The function a callable argument names or the lambda's call operator, or
// nullptr.
const clang::FunctionDecl* CallableFunction(const clang::Expr* e);

// ---- statements ----

// The block `s` is a statement of (through an ExprWithCleanups), or nullptr.
const clang::CompoundStmt* ParentCompound(const clang::Stmt* s, clang::ASTContext& ctx);

// Sorts AST nodes into the order they are spelled in the translation unit.
template <class Node>
void SortBySource(const clang::SourceManager& sm, std::vector<const Node*>* nodes) {
  std::sort(nodes->begin(), nodes->end(), [&sm](const Node* a, const Node* b) {
    return sm.isBeforeInTranslationUnit(a->getBeginLoc(), b->getBeginLoc());
  });
}

// True when either end of `range` is spelled inside a macro expansion.
bool InMacro(clang::SourceRange range);

// ---- source text ----

// Reads the user's source text through one SourceManager.
class SourceReader {
 public:
  SourceReader(const clang::SourceManager& sm, const clang::LangOptions& lang)
      : sm_(sm), lang_(lang) {}

  // The text of `range`, or "" when it cannot be read.
  std::string Text(clang::CharSourceRange range) const;
  // The text of the tokens `range` spans.
  std::string Text(clang::SourceRange range) const;

  // The position just past the token starting at `loc`.
  clang::SourceLocation EndOfToken(clang::SourceLocation loc) const;

  // The blanks that start the line holding `loc`.
  std::string IndentOf(clang::SourceLocation loc) const;
  // The blanks that start the line holding the character before `loc`:
  // IndentOf except when `loc` starts a line, where it is the line above's.
  std::string IndentOfCharBefore(clang::SourceLocation loc) const;

  // Identifiers spelled in the tokens of `range`, so generated names never
  // clash with (or shadow) one.
  std::set<std::string> IdentifiersIn(clang::SourceRange range) const;

 private:
  // The blanks that start the line holding the character at `offset` of
  // `loc`'s file.
  std::string IndentOfLineAt(clang::SourceLocation loc, unsigned offset) const;

  const clang::SourceManager& sm_;
  const clang::LangOptions& lang_;
};

// ---- generated text ----

// snake_case of an identifier or step id: "KeyOnUser" -> "key_on_user",
// "HTTPServer" -> "http_server"; "step" when nothing is left.
std::string Snake(llvm::StringRef name);

// CamelCase of a snake_case name: "read_lines" -> "ReadLines".
std::string CamelCase(const std::string& name);

// `s` as a C++ string literal: `a"b` -> `"a\"b"`.
std::string QuoteCpp(const std::string& s);

}  // namespace migrate_tool::internal

#endif  // MIGRATE_TOOL_AST_TEXT_H_
