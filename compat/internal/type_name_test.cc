#include "compat/internal/type_name.h"

#include <map>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace bytewax {
namespace compat_internal {
namespace {

TEST(TypeName, ShortensStandardSpellings) {
  EXPECT_EQ(TypeName(typeid(int)), "int");
  EXPECT_EQ(TypeName(typeid(std::string)), "std::string");
  EXPECT_EQ(TypeName(typeid(std::pair<std::string, int>)), "std::pair<std::string, int>");
  EXPECT_EQ(TypeName(typeid(std::vector<std::string>)), "std::vector<std::string>");
  EXPECT_EQ(TypeName(typeid(std::map<std::string, std::vector<int>>)),
            "std::map<std::string, std::vector<int>>");
}

}  // namespace
}  // namespace compat_internal
}  // namespace bytewax
