#include "migrate_tool/ast_text.h"

#include <cctype>
#include <set>
#include <string>

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/PrettyPrinter.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/raw_ostream.h"

namespace migrate_tool::internal {

std::string QualifiedName(const clang::NamedDecl* decl) {
  if (decl == nullptr) return "";
  clang::PrintingPolicy policy(decl->getASTContext().getLangOpts());
  policy.SuppressInlineNamespace = false;
  std::string out;
  llvm::raw_string_ostream os(out);
  decl->printQualifiedName(os, policy);
  os.flush();
  return out;
}

std::string ClassName(clang::QualType type) {
  const clang::CXXRecordDecl* rec = type.isNull() ? nullptr : type->getAsCXXRecordDecl();
  if (rec == nullptr) return "";
  if (const auto* spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec)) {
    return QualifiedName(spec->getSpecializedTemplate());
  }
  return QualifiedName(rec);
}

const clang::StringLiteral* StringLiteralArg(const clang::Expr* e) {
  for (int depth = 0; depth < 8 && e != nullptr; ++depth) {
    e = e->IgnoreParenImpCasts();
    if (const auto* lit = llvm::dyn_cast<clang::StringLiteral>(e)) return lit;
    if (const auto* mt = llvm::dyn_cast<clang::MaterializeTemporaryExpr>(e)) {
      e = mt->getSubExpr();
    } else if (const auto* bt = llvm::dyn_cast<clang::CXXBindTemporaryExpr>(e)) {
      e = bt->getSubExpr();
    } else if (const auto* ctor = llvm::dyn_cast<clang::CXXConstructExpr>(e)) {
      e = ctor->getNumArgs() >= 1 ? ctor->getArg(0) : nullptr;
    } else if (const auto* cleanups = llvm::dyn_cast<clang::ExprWithCleanups>(e)) {
      e = cleanups->getSubExpr();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

const clang::Expr* CallableExpr(const clang::Expr* e) {
  e = e->IgnoreImplicit();
  if (const auto* ctor = llvm::dyn_cast<clang::CXXConstructExpr>(e)) {
    if (ctor->getNumArgs() == 1) e = ctor->getArg(0)->IgnoreImplicit();
  }
  if (const auto* mt = llvm::dyn_cast<clang::MaterializeTemporaryExpr>(e)) {
    e = mt->getSubExpr()->IgnoreImplicit();
  }
  return e->IgnoreParenImpCasts();
}

const clang::FunctionDecl* CallableFunction(const clang::Expr* e) {
  e = CallableExpr(e);
  if (const auto* uo = llvm::dyn_cast<clang::UnaryOperator>(e)) {
    if (uo->getOpcode() == clang::UO_AddrOf) e = uo->getSubExpr()->IgnoreParenImpCasts();
  }
  if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e)) {
    return llvm::dyn_cast<clang::FunctionDecl>(ref->getDecl());
  }
  if (const auto* lambda = llvm::dyn_cast<clang::LambdaExpr>(e)) {
    return lambda->getCallOperator();
  }
  return nullptr;
}

const clang::CompoundStmt* ParentCompound(const clang::Stmt* s, clang::ASTContext& ctx) {
  auto parents = ctx.getParents(*s);
  while (!parents.empty()) {
    if (const auto* c = parents[0].get<clang::CompoundStmt>()) return c;
    if (const auto* e = parents[0].get<clang::ExprWithCleanups>()) {
      parents = ctx.getParents(*e);
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

bool InMacro(clang::SourceRange range) {
  return range.getBegin().isMacroID() || range.getEnd().isMacroID();
}

std::string SourceReader::Text(clang::CharSourceRange range) const {
  bool invalid = false;
  llvm::StringRef text = clang::Lexer::getSourceText(range, sm_, lang_, &invalid);
  return invalid ? std::string() : text.str();
}

std::string SourceReader::Text(clang::SourceRange range) const {
  return Text(clang::CharSourceRange::getTokenRange(range));
}

clang::SourceLocation SourceReader::EndOfToken(clang::SourceLocation loc) const {
  return clang::Lexer::getLocForEndOfToken(loc, 0, sm_, lang_);
}

std::string SourceReader::IndentOf(clang::SourceLocation loc) const {
  return IndentOfLineAt(loc, sm_.getFileOffset(loc));
}

std::string SourceReader::IndentOfCharBefore(clang::SourceLocation loc) const {
  const unsigned offset = sm_.getFileOffset(loc);
  return IndentOfLineAt(loc, offset == 0 ? 0 : offset - 1);
}

std::string SourceReader::IndentOfLineAt(clang::SourceLocation loc, unsigned offset) const {
  llvm::StringRef buffer = sm_.getBufferData(sm_.getFileID(loc));
  // StringRef::rfind looks strictly before its position.
  size_t begin = buffer.rfind('\n', offset);
  begin = begin == llvm::StringRef::npos ? 0 : begin + 1;
  size_t end = begin;
  while (end < buffer.size() && (buffer[end] == ' ' || buffer[end] == '\t')) ++end;
  return buffer.substr(begin, end - begin).str();
}

std::set<std::string> SourceReader::IdentifiersIn(clang::SourceRange range) const {
  std::set<std::string> ids;
  const std::string text = Text(range);
  clang::Lexer lexer(clang::SourceLocation(), lang_, text.data(), text.data(),
                     text.data() + text.size());
  clang::Token tok;
  do {
    lexer.LexFromRawLexer(tok);
    if (tok.is(clang::tok::raw_identifier)) ids.insert(tok.getRawIdentifier().str());
  } while (tok.isNot(clang::tok::eof));
  return ids;
}

std::string Snake(llvm::StringRef name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c)) != 0) {
      const bool after_lower =
          i > 0 && (std::islower(static_cast<unsigned char>(name[i - 1])) != 0 ||
                    std::isdigit(static_cast<unsigned char>(name[i - 1])) != 0);
      const bool before_lower = i + 1 < name.size() &&
                                std::islower(static_cast<unsigned char>(name[i + 1])) != 0 &&
                                i > 0 && std::isupper(static_cast<unsigned char>(name[i - 1])) != 0;
      if ((after_lower || before_lower) && !out.empty() && out.back() != '_') out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) out = "step";
  return out;
}

std::string CamelCase(const std::string& name) {
  std::string out;
  bool up = true;
  for (char c : name) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

std::string QuoteCpp(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace migrate_tool::internal
