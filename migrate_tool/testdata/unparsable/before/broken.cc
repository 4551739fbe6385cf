#include "bytewax/dataflow.h"

int main() { return undeclared_name; }
