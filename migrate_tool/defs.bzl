"""carried_headers: the compat and sdk headers the migration tool parses with.

    carried_headers(name, deps)   deps: cc_library targets (//compat/v0_17, //sdk)

gives, as files and runfiles, every header of those libraries under compat/
and sdk/ (their transitive headers), so `bazel run //migrate_tool` finds them
next to the binary (<binary>.runfiles/bytewax_cpp/compat/..., .../sdk/...)
without a compile_commands.json.
"""

def _carried_headers_impl(ctx):
    headers = depset(transitive = [
        dep[CcInfo].compilation_context.headers
        for dep in ctx.attr.deps
    ])
    files = [
        f
        for f in headers.to_list()
        if f.short_path.startswith("compat/") or f.short_path.startswith("sdk/")
    ]
    return [DefaultInfo(
        files = depset(files),
        runfiles = ctx.runfiles(files = files),
    )]

carried_headers = rule(
    implementation = _carried_headers_impl,
    attrs = {"deps": attr.label_list(providers = [CcInfo])},
)
