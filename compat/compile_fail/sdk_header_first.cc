// layer:
// expect-error: A legacy bytewax header (compat/...) must be included before any v0.18 SDK header
#include "sdk/bytewax/dataflow.h"
// A legacy header after an SDK one:
#include "compat/v0_17/bytewax/dataflow.h"
int main() {}
