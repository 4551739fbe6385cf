# File: third_party/protobuf/defs.bzl
#
# cc_proto_library(name, srcs, deps = [], visibility = None)
#
# Generates C++ from .proto files with Debian's /usr/bin/protoc (so it
# matches libprotobuf's headers) and wraps the result in a cc_library `name`.
# A file pkg/dir/foo.proto is included as "pkg/dir/foo.pb.h" and imported by
# other protos as "pkg/dir/foo.proto" (proto paths are workspace-relative;
# /usr/include is on the path for google/protobuf/*.proto).
# `deps` are other cc_proto_library targets whose protos these import.

PROTOC = "/usr/bin/protoc"

def proto_dep_label(dep):
    """Label of the `<name>_protos` filegroup that a proto library declares."""
    if ":" in dep:
        return dep + "_protos"
    return "%s:%s_protos" % (dep, dep.split("/")[-1])

def proto_gen_rule(name, srcs, deps, plugin_outs, extra_flags, tools, cc_deps, visibility):
    """Shared body of cc_proto_library and cc_grpc_library."""
    for src in srcs:
        if not src.endswith(".proto"):
            fail("%s: srcs must be .proto files, got %s" % (name, src))

    # Own protos plus those of deps, so imports resolve inside the sandbox.
    native.filegroup(
        name = name + "_protos",
        srcs = srcs + [proto_dep_label(d) for d in deps],
        visibility = visibility,
    )
    outs = []
    for src in srcs:
        base = src[:-len(".proto")]
        outs += [base + ext for ext in plugin_outs]
    native.genrule(
        name = name + "_gen",
        srcs = srcs + [name + "_protos"],
        outs = outs,
        tools = tools,
        cmd = " ".join([
            PROTOC,
            "-I.",
            "-I/usr/include",
            "--cpp_out=$(GENDIR)",
        ] + extra_flags + ["$(location %s)" % s for s in srcs]),
        message = "protoc " + name,
    )
    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        deps = deps + cc_deps,
        visibility = visibility,
    )

def cc_proto_library(name, srcs, deps = [], visibility = None):
    proto_gen_rule(
        name = name,
        srcs = srcs,
        deps = deps,
        plugin_outs = [".pb.h", ".pb.cc"],
        extra_flags = [],
        tools = [],
        cc_deps = ["//third_party/protobuf"],
        visibility = visibility,
    )
