"""cc_headers: the headers of C++ libraries (with their dependencies') as files.

For tests that run a compiler themselves (compile_fail_test.sh): the
headers land in the test's runfiles at their workspace paths.
"""

def _cc_headers_impl(ctx):
    headers = depset(transitive = [
        dep[CcInfo].compilation_context.headers
        for dep in ctx.attr.deps
    ])
    return [DefaultInfo(
        files = headers,
        runfiles = ctx.runfiles(transitive_files = headers),
    )]

cc_headers = rule(
    implementation = _cc_headers_impl,
    attrs = {
        "deps": attr.label_list(providers = [CcInfo]),
    },
)
