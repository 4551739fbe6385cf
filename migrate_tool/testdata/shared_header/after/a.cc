#include "shared_source.h"

int UseA() {
  Once once;
  return 1;
}
