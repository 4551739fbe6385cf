// File: third_party/llvm/clang_resource_dir.h
//
// Where clang 19's builtin headers (stddef.h, ...) live on Debian. LibTooling
// binaries must pass "-resource-dir=" BYTEWAX_CLANG_RESOURCE_DIR to the
// compilations they run, or standard headers fail to parse.

#ifndef THIRD_PARTY_LLVM_CLANG_RESOURCE_DIR_H_
#define THIRD_PARTY_LLVM_CLANG_RESOURCE_DIR_H_

#define BYTEWAX_CLANG_RESOURCE_DIR "/usr/lib/llvm-19/lib/clang/19"

#endif  // THIRD_PARTY_LLVM_CLANG_RESOURCE_DIR_H_
