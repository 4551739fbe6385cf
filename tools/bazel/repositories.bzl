# File: tools/bazel/repositories.bzl
#
# Repository rules that make Debian's Bazel 4.2.3 work fully offline. Every
# external repository Bazel would otherwise download is pointed at files that
# Debian packages install under /usr (see README.md "Building offline").

def _patched_rules_cc_impl(rctx):
    # Debian's rules_cc 0.0.4 loads `use_cpp_toolchain` from @bazel_tools,
    # which Bazel 4.2.3 does not have: copy the tree and inline the value.
    src = rctx.attr.path
    res = rctx.execute(["cp", "-R", src + "/.", "."])
    if res.return_code != 0:
        fail("copying %s failed: %s" % (src, res.stderr))
    for f in [
        "cc/private/rules_impl/cc_flags_supplier.bzl",
        "cc/private/rules_impl/compiler_flag.bzl",
    ]:
        text = rctx.read(f)
        text = text.replace(', "use_cpp_toolchain")', ")")
        text = text.replace("use_cpp_toolchain()", '["@bazel_tools//tools/cpp:toolchain_type"]')
        rctx.file(f, text, executable = False)

patched_rules_cc = repository_rule(
    implementation = _patched_rules_cc_impl,
    attrs = {"path": attr.string(default = "/usr/share/bazel/rules/cc")},
    local = True,
)

def _coverage_tools_stub_impl(rctx):
    # `bazel test` wants @remote_coverage_tools (a download) even without
    # --collect_code_coverage. Targets that do nothing satisfy it.
    rctx.file("WORKSPACE", 'workspace(name = "remote_coverage_tools")\n')
    rctx.file("noop.sh", "#!/bin/sh\nexit 0\n", executable = True)
    rctx.file("BUILD", """
package(default_visibility = ["//visibility:public"])

sh_binary(name = "lcov_merger", srcs = ["noop.sh"])

sh_binary(name = "coverage_report_generator", srcs = ["noop.sh"])

filegroup(name = "coverage_output_generator", srcs = ["noop.sh"])
""")

coverage_tools_stub = repository_rule(implementation = _coverage_tools_stub_impl)
