#include "compat/internal/type_name.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace bytewax {
namespace compat_internal {
namespace {

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  std::string::size_type pos = 0;
  while ((pos = s->find(from, pos)) != std::string::npos) {
    s->replace(pos, from.size(), to);
    pos += to.size();
  }
}

}  // namespace

std::string TypeName(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
  if (status != 0 || demangled == nullptr) return type.name();
  std::string name(demangled.get());
  ReplaceAll(&name, "std::__cxx11::", "std::");
  ReplaceAll(&name, "std::basic_string<char, std::char_traits<char>, std::allocator<char> >",
             "std::string");
  // Default allocators and comparators of the standard containers.
  for (const char* tail : {", std::allocator<", ", std::less<"}) {
    std::string::size_type pos = 0;
    while ((pos = name.find(tail, pos)) != std::string::npos) {
      // Drop ", std::allocator<...>" up to its matching '>'.
      std::string::size_type end = pos + std::string(tail).size();
      int depth = 1;
      while (end < name.size() && depth > 0) {
        if (name[end] == '<') ++depth;
        if (name[end] == '>') --depth;
        ++end;
      }
      name.erase(pos, end - pos);
    }
  }
  ReplaceAll(&name, " >", ">");
  return name;
}

}  // namespace compat_internal
}  // namespace bytewax
