#include "shared_source.h"

int main() {
  Once once;
  return 0;
}
