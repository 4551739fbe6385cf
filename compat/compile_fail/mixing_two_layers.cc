// layer:
// expect-error: This file includes headers of two legacy bytewax APIs
#include "compat/v0_16/bytewax/dataflow.h"
#include "compat/v0_17/bytewax/dataflow.h"
int main() {}
