# File: third_party/grpc/defs.bzl
#
# cc_grpc_library(name, srcs, deps = [], visibility = None)
#
# Like cc_proto_library (//third_party/protobuf:defs.bzl) but also runs
# Debian's /usr/bin/grpc_cpp_plugin: the cc_library `name` holds both the
# messages ("pkg/foo.pb.h") and the service stubs ("pkg/foo.grpc.pb.h").
# Do not also wrap the same .proto in a cc_proto_library (duplicate symbols).

load("//third_party/protobuf:defs.bzl", "proto_gen_rule")

GRPC_PLUGIN = "/usr/bin/grpc_cpp_plugin"

def cc_grpc_library(name, srcs, deps = [], visibility = None):
    proto_gen_rule(
        name = name,
        srcs = srcs,
        deps = deps,
        plugin_outs = [".pb.h", ".pb.cc", ".grpc.pb.h", ".grpc.pb.cc"],
        extra_flags = [
            "--plugin=protoc-gen-grpc=" + GRPC_PLUGIN,
            "--grpc_out=$(GENDIR)",
        ],
        tools = [],
        cc_deps = ["//third_party/grpc"],
        visibility = visibility,
    )
