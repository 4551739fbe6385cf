// File: compat/internal/type_name.h
//
// Readable C++ type names for the legacy layers' error messages
// ("the mapper takes `std::string` but the stream carries `int`").
//
//   TypeName(typeid(std::pair<std::string, int>))
//       // "std::pair<std::string, int>"
//
// Names are demangled (GCC/Clang ABI) and std::string's long spelling is
// shortened; on failure the mangled name is returned.
//
// Thread-safety: thread-safe.

#ifndef BYTEWAX_COMPAT_INTERNAL_TYPE_NAME_H_
#define BYTEWAX_COMPAT_INTERNAL_TYPE_NAME_H_

#include <string>
#include <typeinfo>

namespace bytewax {
namespace compat_internal {

std::string TypeName(const std::type_info& type);

}  // namespace compat_internal
}  // namespace bytewax

#endif  // BYTEWAX_COMPAT_INTERNAL_TYPE_NAME_H_
