// Included by two translation units: edited once.
#ifndef SHARED_SOURCE_H_
#define SHARED_SOURCE_H_

#include <vector>

#include "bytewax/inputs.h"

class Once : public bytewax::inputs::StatelessSource<int> {
 public:
  std::vector<int> next_batch() override {
    if (done_) throw bytewax::inputs::StopIteration();
    done_ = true;
    return {7};
  }

 private:
  bool done_ = false;
};

#endif  // SHARED_SOURCE_H_
